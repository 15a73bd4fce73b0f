import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func checkIn(ticketCode: String, by usher: String, door: String?, now: Date) async throws -> CheckIn {
        try await write { db in
            if let row = try Row.fetchOne(
                db,
                cached: """
                    UPDATE orders SET checked_in_at = ?, checked_in_by = ?, checked_in_door = ?
                    WHERE ticket_code = ? AND status = 'CONFIRMED' AND checked_in_at IS NULL
                    RETURNING *
                    """,
                arguments: [SQLiteColumns.millis(now), usher, door, ticketCode])
            {
                let order = try Self.order(row)
                let checkIn = CheckIn(order: order, at: now, by: usher, door: door)
                try Self.record(db, [CheckInEvents.checkedIn(checkIn, userId: order.userId)])
                return checkIn
            }
            guard let row = try Row.fetchOne(db, cached: "SELECT * FROM orders WHERE ticket_code = ?", arguments: [ticketCode]) else {
                throw CheckIn.unknownTicket
            }
            throw CheckIn.refusal(for: try Self.order(row), checkedInAt: row.optionalDate("checked_in_at"), door: row["checked_in_door"])
        }
    }
}
