import Foundation
import GRDB
import HoldfastCore

/// How Core values are written to SQLite columns: instants as integer milliseconds, lists and
/// maps as JSON text, money as integer minor units.
enum SQLiteColumns {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    static func prices(_ map: [String: Money]) throws -> String { try json(map.mapValues(\.minorUnits)) }
    static func prices(_ text: String) throws -> [String: Money] {
        try decode([String: Int].self, text).mapValues { Money(minorUnits: $0) }
    }
}

extension Row {
    func uuid(_ column: String) -> UUID { UUID(uuidString: self[column] as String)! }
    func date(_ column: String) -> Date { SQLiteColumns.date(self[column] as Int64) }
    func optionalDate(_ column: String) -> Date? { (self[column] as Int64?).map(SQLiteColumns.date) }
}
