import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func seatHistory(showId: UUID, seatId: String, limit: Int) async throws -> [SeatHistoryEntry] {
        try await read { db in
            try Row.fetchAll(
                db, cached: "SELECT * FROM seat_history WHERE show_id = ? AND seat_id = ? ORDER BY seq LIMIT ?",
                arguments: [showId.uuidString, seatId, limit]
            ).map { row in
                SeatHistoryEntry(
                    fromState: row["from_state"], toState: row["to_state"], userId: row["user_id"], previousUserId: row["previous_user_id"],
                    holdId: (row["hold_id"] as String?).flatMap(UUID.init(uuidString:)),
                    orderId: (row["order_id"] as String?).flatMap(UUID.init(uuidString:)), at: row.date("at"))
            }
        }
    }

    public func salesCounts(showId: UUID, now: Date) async throws -> SalesCounts {
        try await read { db in
            let show = showId.uuidString
            let millis = SQLiteColumns.millis(now)
            var counts = SalesCounts()
            for row in try Row.fetchAll(
                db,
                cached: """
                    SELECT CASE WHEN status = 'HELD' AND expires_at <= ? THEN 'EXPIRED' ELSE status END AS state, COUNT(*) AS n
                    FROM holds WHERE show_id = ? GROUP BY state
                    """,
                arguments: [millis, show])
            {
                if let status = HoldStatus(rawValue: row["state"]) { counts.holds[status] = row["n"] }
            }
            for row in try Row.fetchAll(
                db,
                cached: """
                    SELECT CASE WHEN status = 'PAYMENT_PENDING' AND expires_at <= ? THEN 'EXPIRED' ELSE status END AS state,
                           COUNT(*) AS n, SUM(amount) AS amount, SUM(checked_in_at IS NOT NULL) AS checked_in
                    FROM orders WHERE show_id = ? GROUP BY state
                    """,
                arguments: [millis, show])
            {
                guard let status = OrderStatus(rawValue: row["state"]) else { continue }
                counts.orders[status] = row["n"]
                if status == .confirmed { counts.revenue = Money(minorUnits: row["amount"]) }
                counts.checkedIn += row["checked_in"] as Int
            }
            let refunded = try Int.fetchOne(
                db,
                cached: """
                    SELECT COALESCE(SUM(r.amount), 0) FROM refunds r JOIN orders o ON o.order_id = r.order_id
                    WHERE o.show_id = ? AND r.status = 'SUCCEEDED'
                    """,
                arguments: [show]) ?? 0
            counts.refunded = Money(minorUnits: refunded)
            return counts
        }
    }
}
