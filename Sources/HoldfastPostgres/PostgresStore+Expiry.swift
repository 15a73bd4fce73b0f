import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    /// Rows another transaction is working on are skipped, so sweepers in several instances share the work.
    public func expireDue(now: Date, limit: Int) async throws -> (holds: Int, orders: Int) {
        try await transaction { connection in
            let holds = try await connection.rows(
                """
                UPDATE holds SET status = 'EXPIRED'
                WHERE hold_id IN (
                    SELECT hold_id FROM holds WHERE status = 'HELD' AND expires_at <= \(now) LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.holdColumns)
                """, logger
            ).map(Self.hold)
            if !holds.isEmpty {
                try await connection.execute(
                    "DELETE FROM seat_claims WHERE hold_id = ANY(\(holds.map(\.holdId))) AND stage = 'HELD'", logger)
            }
            let orders = try await connection.rows(
                """
                SELECT \(unescaped: Self.orderColumns) FROM orders
                WHERE status = 'PAYMENT_PENDING' AND expires_at <= \(now)
                ORDER BY expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """, logger
            ).map(Self.order)
            for order in orders { try await Self.expire(connection, logger, order, now: now) }
            try await Self.record(connection, logger, holds.map { BookingEvents.hold(.holdExpired, $0, at: now) })
            return (holds.count, orders.count)
        }
    }
}
