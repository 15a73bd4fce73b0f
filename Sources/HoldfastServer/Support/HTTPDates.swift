import Foundation
import Synchronization

/// The `Date` header's text (RFC 9110's IMF-fixdate), formatted once per second.
final class HTTPDates: Sendable {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private let latest = Mutex<(second: Int, text: String)>((-1, ""))

    func now() -> String {
        let date = Date()
        let second = Int(date.timeIntervalSince1970.rounded(.down))
        if let text = latest.withLock({ $0.second == second ? $0.text : nil }) { return text }
        let text = Self.format(date)
        latest.withLock { $0 = (second, text) }
        return text
    }

    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) GMT"
    }
}
