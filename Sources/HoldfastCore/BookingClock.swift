import Foundation
import Synchronization

/// Where every rule that depends on time gets "now"; injected so expiry is testable without sleeping.
public protocol BookingClock: Sendable {
    func now() -> Date
}

public struct SystemBookingClock: BookingClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to.
public final class ManualBookingClock: BookingClock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
