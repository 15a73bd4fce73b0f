import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    public func checkIn(ticketCode: String, by usher: String, door: String?, now: Date) async throws -> CheckIn {
        try await transaction { connection in
            if let row = try await connection.rows(
                """
                UPDATE orders SET checked_in_at = \(now), checked_in_by = \(usher), checked_in_door = \(door)
                WHERE ticket_code = \(ticketCode) AND status = 'CONFIRMED' AND checked_in_at IS NULL
                RETURNING \(unescaped: Self.orderColumns)
                """, logger
            ).first {
                let order = try Self.order(row)
                let checkIn = CheckIn(order: order, at: now, by: usher, door: door)
                try await Self.record(connection, logger, [CheckInEvents.checkedIn(checkIn, userId: order.userId)])
                return checkIn
            }
            guard let row = try await connection.rows(
                "SELECT \(unescaped: Self.orderColumns), checked_in_at, checked_in_door FROM orders WHERE ticket_code = \(ticketCode)", logger
            ).first else { throw CheckIn.unknownTicket }
            throw CheckIn.refusal(
                for: try Self.order(row), checkedInAt: try row.value("checked_in_at", as: Date?.self), door: try row.value("checked_in_door", as: String?.self))
        }
    }
}
