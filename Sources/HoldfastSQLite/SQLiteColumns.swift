import Foundation
import GRDB
import HoldfastCore

/// How instants are written to SQLite columns: integer milliseconds since 1970 (lists and maps go
/// through `StoredJSON`).
enum SQLiteColumns {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}

extension Row {
    func uuid(_ column: String) -> UUID { UUID(uuidString: self[column] as String)! }
    func date(_ column: String) -> Date { SQLiteColumns.date(self[column] as Int64) }
    func optionalDate(_ column: String) -> Date? { (self[column] as Int64?).map(SQLiteColumns.date) }
}
