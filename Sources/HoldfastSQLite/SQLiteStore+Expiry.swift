import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func expireDue(now: Date, limit: Int) async throws -> (holds: Int, orders: Int) {
        try await write { db in
            let nowMillis = SQLiteColumns.millis(now)
            let holds = try Row.fetchAll(
                db,
                cached: """
                    UPDATE holds SET status = 'EXPIRED'
                    WHERE hold_id IN (SELECT hold_id FROM holds WHERE status = 'HELD' AND expires_at <= ? LIMIT ?)
                    RETURNING *
                    """,
                arguments: [nowMillis, limit]
            ).map(Self.hold)
            for hold in holds {
                try db.execute(
                    cached: "DELETE FROM seat_claims WHERE hold_id = ? AND stage = 'HELD'", arguments: [hold.holdId.uuidString])
            }
            let orders = try Row.fetchAll(
                db,
                cached: """
                    SELECT * FROM orders WHERE status = 'PAYMENT_PENDING' AND expires_at <= ? ORDER BY expires_at LIMIT ?
                    """,
                arguments: [nowMillis, limit]
            ).map(Self.order)
            for order in orders { try Self.expire(db, order, now: now) }
            try Self.record(db, holds.map { BookingEvents.hold(.holdExpired, $0, at: now) })
            return (holds.count, orders.count)
        }
    }
}
