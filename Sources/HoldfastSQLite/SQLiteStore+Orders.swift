import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func createOrder(_ order: Order, now: Date) async throws -> Order {
        let created = BookingEvents.order(.orderCreated, order, at: now)
        return try await write { db in
            let hold = try Self.ownedHold(db, order.holdId, userId: order.userId)
            if hold.status == .converted {
                guard
                    let row = try Row.fetchOne(
                        db, cached: "SELECT * FROM orders WHERE hold_id = ?", arguments: [hold.holdId.uuidString])
                else { throw HoldfastError.holdNotActive }
                return try Self.order(row)
            }
            try hold.requireLive(at: now)
            guard hold.seatIds == order.seatIds else {
                throw HoldfastError(.conflict, code: "HOLD_CHANGED", message: "The hold changed while the order was made; retry")
            }
            try db.execute(
                cached: """
                    UPDATE seat_claims SET stage = 'PENDING', order_id = ?, expires_at = ?
                    WHERE hold_id = ? AND stage = 'HELD' AND expires_at > ?
                    """,
                arguments: [
                    order.orderId.uuidString, SQLiteColumns.millis(order.expiresAt), hold.holdId.uuidString,
                    SQLiteColumns.millis(now),
                ])
            guard db.changesCount == hold.seatIds.count else { throw HoldfastError.holdExpired }
            try db.execute(
                cached: "UPDATE holds SET status = 'CONVERTED' WHERE hold_id = ?", arguments: [hold.holdId.uuidString])
            try db.execute(
                cached: """
                    INSERT INTO orders (order_id, user_id, show_id, hold_id, seat_ids, customer_name, customer_email,
                                        customer_phone, amount, status, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    order.orderId.uuidString, order.userId, order.showId.uuidString, order.holdId.uuidString,
                    try StoredJSON.encode(order.seatIds), order.customer.name, order.customer.email,
                    order.customer.phone, order.amount.minorUnits, order.status.rawValue,
                    SQLiteColumns.millis(order.createdAt), SQLiteColumns.millis(order.expiresAt),
                ])
            try Self.record(db, [created])
            return order
        }
    }

    public func order(_ orderId: UUID, userId: String) async throws -> Order {
        try await read { db in try Self.ownedOrder(db, orderId, userId: userId) }
    }

    public func orderDetails(_ orderId: UUID, userId: String) async throws -> OrderDetails {
        try await read { db in
            let order = try Self.ownedOrder(db, orderId, userId: userId)
            guard let show = try showRow(db, order.showId) else { throw HoldfastError.notFound("Show") }
            return OrderDetails(
                order: order, show: show, movie: try Self.movieRow(db, show.movieId), theatre: try Self.theatreRow(db, show.theatreId))
        }
    }

    public func orders(userId: String, page: PageRequest) async throws -> Page<Order> {
        try await read { db in
            let total = try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM orders WHERE user_id = ?", arguments: [userId]) ?? 0
            let rows = try Row.fetchAll(
                db, cached: "SELECT * FROM orders WHERE user_id = ? ORDER BY created_at DESC, order_id LIMIT ? OFFSET ?",
                arguments: [userId, page.pageSize, page.offset])
            return Page(items: try rows.map(Self.order), page: page.page, pageSize: page.pageSize, total: total)
        }
    }

    public func cancelOrder(_ orderId: UUID, userId: String, now: Date) async throws -> Order {
        try await write { db in
            var order = try Self.ownedOrder(db, orderId, userId: userId)
            guard try order.needsCancelling(at: now) else { return order }
            try db.execute(cached: "DELETE FROM seat_claims WHERE order_id = ?", arguments: [orderId.uuidString])
            try db.execute(
                cached: "UPDATE orders SET status = 'CANCELLED', cancelled_at = ? WHERE order_id = ?",
                arguments: [SQLiteColumns.millis(now), orderId.uuidString])
            order.status = .cancelled
            order.cancelledAt = now
            try Self.record(db, [BookingEvents.order(.orderCancelled, order, at: now)])
            return order
        }
    }

    public func cancelShow(_ showId: UUID, now: Date) async throws {
        try await write { db in
            let show = showId.uuidString
            let nowMillis = SQLiteColumns.millis(now)
            try db.execute(cached: "UPDATE shows SET status = 'CANCELLED' WHERE show_id = ?", arguments: [show])
            let holds = try Row.fetchAll(
                db, cached: "UPDATE holds SET status = 'RELEASED' WHERE show_id = ? AND status = 'HELD' RETURNING *", arguments: [show]
            ).map(Self.hold)
            let orders = try Row.fetchAll(
                db,
                cached: """
                    UPDATE orders SET status = 'CANCELLED', cancelled_at = ?
                    WHERE show_id = ? AND status IN ('PAYMENT_PENDING', 'CONFIRMED')
                    RETURNING *
                    """,
                arguments: [nowMillis, show]
            ).map(Self.order)
            try db.execute(cached: "DELETE FROM seat_claims WHERE show_id = ?", arguments: [show])
            try Self.record(
                db,
                holds.map { BookingEvents.holdEnded($0, at: now) } + orders.map { BookingEvents.order(.orderCancelled, $0, at: now) }
                    + [BookingEvents.showCancelled(showId, orders: orders.map(\.orderId), holds: holds.map(\.holdId), at: now)])
        }
    }

    /// Books a pending order's seats (all of them, or it throws `orderExpired`) and confirms it with `ticketCode`.
    static func book(_ db: Database, _ order: Order, ticketCode: String, now: Date) throws -> Order {
        try db.execute(
            cached: """
                UPDATE seat_claims SET stage = 'BOOKED', expires_at = NULL
                WHERE order_id = ? AND stage = 'PENDING' AND expires_at > ?
                """,
            arguments: [order.orderId.uuidString, SQLiteColumns.millis(now)])
        guard db.changesCount == order.seatIds.count else { throw HoldfastError.orderExpired }
        return try confirm(db, order, ticketCode: ticketCode, now: now)
    }

    /// Marks a paid order CONFIRMED with its ticket code (from waiting for payment, or from EXPIRED when it was
    /// booked again) and records OrderConfirmed; its seats are already BOOKED for it.
    static func confirm(_ db: Database, _ order: Order, ticketCode: String, now: Date) throws -> Order {
        try db.execute(
            cached: """
                UPDATE orders SET status = 'CONFIRMED', ticket_code = ?, confirmed_at = ?
                WHERE order_id = ? AND status IN ('PAYMENT_PENDING', 'EXPIRED')
                """,
            arguments: [ticketCode, SQLiteColumns.millis(now), order.orderId.uuidString])
        let (confirmed, event) = order.confirmed(ticketCode: ticketCode, at: now)
        try record(db, [event])
        return confirmed
    }

    /// Marks a lapsed order EXPIRED, frees whatever seats it still holds and records OrderExpired.
    static func expire(_ db: Database, _ order: Order, now: Date) throws {
        try db.execute(
            cached: "DELETE FROM seat_claims WHERE order_id = ? AND stage = 'PENDING'", arguments: [order.orderId.uuidString])
        try db.execute(
            cached: "UPDATE orders SET status = 'EXPIRED' WHERE order_id = ? AND status = 'PAYMENT_PENDING'",
            arguments: [order.orderId.uuidString])
        var expired = order
        expired.status = .expired
        try record(db, [BookingEvents.order(.orderExpired, expired, at: now)])
    }

    static func ownedOrder(_ db: Database, _ orderId: UUID, userId: String) throws -> Order {
        guard
            let row = try Row.fetchOne(
                db, cached: "SELECT * FROM orders WHERE order_id = ? AND user_id = ?", arguments: [orderId.uuidString, userId])
        else { throw HoldfastError.notFound("Order") }
        return try order(row)
    }

    static func order(_ row: Row) throws -> Order {
        Order(
            orderId: row.uuid("order_id"), userId: row["user_id"], showId: row.uuid("show_id"),
            holdId: row.uuid("hold_id"), seatIds: try StoredJSON.decode([String].self, row["seat_ids"]),
            customer: Customer(name: row["customer_name"], email: row["customer_email"], phone: row["customer_phone"]),
            amount: Money(minorUnits: row["amount"]), status: OrderStatus(rawValue: row["status"])!,
            ticketCode: row["ticket_code"], createdAt: row.date("created_at"), confirmedAt: row.optionalDate("confirmed_at"),
            cancelledAt: row.optionalDate("cancelled_at"), expiresAt: row.date("expires_at"))
    }
}
