import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    public func seatHistory(showId: UUID, seatId: String, limit: Int) async throws -> [SeatHistoryEntry] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT from_state, to_state, user_id, previous_user_id, hold_id, order_id, at FROM seat_history
                WHERE show_id = \(showId) AND seat_id = \(seatId) ORDER BY seq LIMIT \(limit)
                """, logger
            ).map { row in
                SeatHistoryEntry(
                    fromState: try row.value("from_state"), toState: try row.value("to_state"), userId: try row.value("user_id"),
                    previousUserId: try row.value("previous_user_id"), holdId: try row.value("hold_id"), orderId: try row.value("order_id"),
                    at: try row.value("at"))
            }
        }
    }

    public func salesCounts(showId: UUID, now: Date) async throws -> SalesCounts {
        try await read { connection in
            var counts = SalesCounts()
            for row in try await connection.rows(
                """
                SELECT CASE WHEN status = 'HELD' AND expires_at <= \(now) THEN 'EXPIRED' ELSE status END AS state, COUNT(*)::bigint AS n
                FROM holds WHERE show_id = \(showId) GROUP BY 1
                """, logger)
            {
                if let status = HoldStatus(rawValue: try row.value("state")) { counts.holds[status] = try row.value("n", as: Int.self) }
            }
            for row in try await connection.rows(
                """
                SELECT CASE WHEN status = 'PAYMENT_PENDING' AND expires_at <= \(now) THEN 'EXPIRED' ELSE status END AS state,
                       COUNT(*)::bigint AS n, COALESCE(SUM(amount), 0)::bigint AS amount, COUNT(checked_in_at)::bigint AS checked_in
                FROM orders WHERE show_id = \(showId) GROUP BY 1
                """, logger)
            {
                guard let status = OrderStatus(rawValue: try row.value("state")) else { continue }
                counts.orders[status] = try row.value("n", as: Int.self)
                if status == .confirmed { counts.revenue = Money(minorUnits: try row.value("amount", as: Int.self)) }
                counts.checkedIn += try row.value("checked_in", as: Int.self)
            }
            let refunded = try await connection.rows(
                """
                SELECT COALESCE(SUM(r.amount), 0)::bigint AS total FROM refunds r JOIN orders o ON o.order_id = r.order_id
                WHERE o.show_id = \(showId) AND r.status = 'SUCCEEDED'
                """, logger
            ).first?.value("total", as: Int.self) ?? 0
            counts.refunded = Money(minorUnits: refunded)
            return counts
        }
    }
}
