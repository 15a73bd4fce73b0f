import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    static let orderColumns = """
        order_id, user_id, show_id, hold_id, seat_ids, customer_name, customer_email, customer_phone, amount, status,
        ticket_code, created_at, confirmed_at, cancelled_at, expires_at
        """

    public func createOrder(_ order: Order, now: Date) async throws -> Order {
        do {
            // The usual case in one statement: the buyer's live, unchanged hold becomes the order. Anything else — the
            // order made already, the hold lapsed, changed or not theirs — takes the transaction, which says which.
            let storing = Self.storing(order, now: now)
            let place = ShowWriteQueue.Place.purchase(order.showId)
            if try await statement(queued: place, { connection in
                try await connection.flag("stored", of: storing, preparedAs: StoredOrder.self, logger)
            }) {
                return order
            }
            return try await transaction(queued: place) { connection in
                let hold = try await Self.ownedHold(connection, logger, order.holdId, userId: order.userId, lock: true)
                if hold.status == .converted {
                    let rows = try await connection.rows(
                        "SELECT \(unescaped: Self.orderColumns) FROM orders WHERE hold_id = \(hold.holdId)", logger)
                    guard let row = rows.first else { throw HoldfastError.holdNotActive }
                    return try Self.order(row)
                }
                try hold.requireLive(at: now)
                guard hold.seatIds == order.seatIds else {
                    throw HoldfastError(.conflict, code: "HOLD_CHANGED", message: "The hold changed while the order was made; retry")
                }
                guard try await connection.flag("stored", of: storing, preparedAs: StoredOrder.self, logger) else { throw HoldfastError.holdExpired }
                return order
            }
        } catch let error as HoldfastError where error.code == HoldfastError.seatsUnavailable([]).code {
            // A seat of the hold lapsed and went to another buyer: the statement took nothing.
            throw HoldfastError.holdExpired
        }
    }

    /// Stores `order`, converts its hold, records the event and moves the hold's seats to the order — when the hold
    /// is the buyer's, live and still holds the order's seats (locking it), else nothing; its answer's `stored` says
    /// which. A seat that lapsed meanwhile aborts it with all it wrote (`holdfast_require_seats`).
    ///
    /// The hold is found by its key alone and its state tested after: a lookup that tested the state too would let
    /// PostgreSQL walk the state's index (`idx_holds_expiry`) instead of the key's whenever its statistics make live
    /// holds look rare — taken on a quiet night, they would have every order of the next sale read every live hold.
    /// The payment's and the settlement's lookups do the same.
    static func storing(_ order: Order, now: Date) -> PostgresQuery {
        """
        WITH found AS MATERIALIZED (
            SELECT hold_id, status, expires_at, seat_ids FROM holds WHERE hold_id = \(order.holdId) AND user_id = \(order.userId)
            FOR UPDATE),
        hold AS (
            SELECT hold_id FROM found
            WHERE status = 'HELD' AND expires_at > \(now) AND seat_ids::text[] = \(order.seatIds)::text[]),
        stored AS (
            INSERT INTO orders (order_id, user_id, show_id, hold_id, seat_ids, customer_name, customer_email, customer_phone,
                                amount, status, created_at, expires_at)
            SELECT \(order.orderId), \(order.userId), \(order.showId), hold_id, \(order.seatIds),
                   \(order.customer.name), \(order.customer.email), \(order.customer.phone), \(order.amount.minorUnits),
                   \(order.status.rawValue), \(order.createdAt), \(order.expiresAt)
            FROM hold),
        converted AS (UPDATE holds SET status = 'CONVERTED' WHERE hold_id IN (SELECT hold_id FROM hold)),
        missing AS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM hold)),
        announced AS (\(recording: [BookingEvents.order(.orderCreated, order, at: now)], unless: "missing")),
        moved AS (
            UPDATE seat_claims SET stage = 'PENDING', order_id = \(order.orderId), expires_at = \(order.expiresAt)
            WHERE hold_id IN (SELECT hold_id FROM hold) AND stage = 'HELD' AND expires_at > \(now)
            RETURNING seat_id)
        \(answering: "stored", when: "hold", requiring: order.seatIds, from: "moved")
        """
    }

    enum StoredOrder: PreparedShape {
        static let template = storing(ShapeTemplates.order, now: ShapeTemplates.instant)
    }

    public func order(_ orderId: UUID, userId: String) async throws -> Order {
        try await read { connection in try await Self.ownedOrder(connection, logger, orderId, userId: userId, lock: false) }
    }

    public func orderDetails(_ orderId: UUID, userId: String) async throws -> OrderDetails {
        try await read { connection in
            let rows = try await connection.rows(Self.detailing(orderId, userId: userId), preparedAs: OrderWithDetails.self, logger)
            guard let row = rows.first else { throw HoldfastError.notFound("Order") }
            let order = try Self.order(row)
            let show = try await show(connection, order.showId, readWith: row)
            let movie = try row.value("m_movie_id", as: UUID?.self) == nil ? nil : try Self.movie(row, prefix: "m_")
            let theatre = try row.value("t_theatre_id", as: UUID?.self) == nil ? nil : try Self.theatre(row, prefix: "t_")
            return OrderDetails(order: order, show: show, movie: movie, theatre: theatre)
        }
    }

    /// The order with its show's revision (the show itself comes from the cache while unchanged), movie and theatre.
    static func detailing(_ orderId: UUID, userId: String) -> PostgresQuery {
        """
        SELECT \(unescaped: qualifiedOrderColumns), s.revision AS show_revision, \(unescaped: prefixedMovieColumns),
               \(unescaped: prefixedTheatreColumns)
        FROM orders o JOIN shows s ON s.show_id = o.show_id
            LEFT JOIN movies m ON m.movie_id = s.movie_id LEFT JOIN theatres t ON t.theatre_id = s.theatre_id
        WHERE o.order_id = \(orderId) AND o.user_id = \(userId)
        """
    }

    /// Every confirmation mail reads it.
    enum OrderWithDetails: PreparedShape {
        static let template = detailing(UUID(), userId: "template")
    }

    /// The order's columns as `orderColumns` names them, for a join.
    static let qualifiedOrderColumns = qualified(orderColumns, by: "o")
    private static let prefixedMovieColumns = qualified(movieColumns, by: "m", prefix: "m_")
    private static let prefixedTheatreColumns = qualified(theatreColumns, by: "t", prefix: "t_")

    public func orders(userId: String, page: PageRequest) async throws -> Page<Order> {
        try await read { connection in
            let total = try await connection.rows("SELECT COUNT(*) AS total FROM orders WHERE user_id = \(userId)", logger)
                .first?.value("total", as: Int.self) ?? 0
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.orderColumns) FROM orders WHERE user_id = \(userId)
                ORDER BY created_at DESC, order_id LIMIT \(page.pageSize) OFFSET \(page.offset)
                """, logger)
            return Page(items: try rows.map(Self.order), page: page.page, pageSize: page.pageSize, total: total)
        }
    }

    public func cancelOrder(_ orderId: UUID, userId: String, now: Date) async throws -> Order {
        try await transaction { connection in
            var order = try await Self.ownedOrder(connection, logger, orderId, userId: userId, lock: true)
            guard try order.needsCancelling(at: now) else { return order }
            try await connection.execute("DELETE FROM seat_claims WHERE order_id = \(orderId)", logger)
            try await connection.execute(
                "UPDATE orders SET status = 'CANCELLED', cancelled_at = \(now) WHERE order_id = \(orderId)", logger)
            order.status = .cancelled
            order.cancelledAt = now
            try await Self.record(connection, logger, [BookingEvents.order(.orderCancelled, order, at: now)])
            return order
        }
    }

    public func cancelShow(_ showId: UUID, now: Date) async throws {
        try await transaction { connection in
            try await connection.execute("UPDATE shows SET status = 'CANCELLED' WHERE show_id = \(showId)", logger)
            let holds = try await connection.rows(
                """
                UPDATE holds SET status = 'RELEASED' WHERE show_id = \(showId) AND status = 'HELD'
                RETURNING \(unescaped: Self.holdColumns)
                """, logger
            ).map(Self.hold)
            let orders = try await connection.rows(
                """
                UPDATE orders SET status = 'CANCELLED', cancelled_at = \(now)
                WHERE show_id = \(showId) AND status IN ('PAYMENT_PENDING', 'CONFIRMED')
                RETURNING \(unescaped: Self.orderColumns)
                """, logger
            ).map(Self.order)
            try await connection.execute("DELETE FROM seat_claims WHERE show_id = \(showId)", logger)
            try await Self.record(
                connection, logger,
                holds.map { BookingEvents.holdEnded($0, at: now) } + orders.map { BookingEvents.order(.orderCancelled, $0, at: now) }
                    + [BookingEvents.showCancelled(showId, orders: orders.map(\.orderId), holds: holds.map(\.holdId), at: now)])
        }
    }

    /// Books a pending order's seats (all of them, or it throws `orderExpired`) and confirms it with `ticketCode`.
    static func book(_ connection: PostgresConnection, _ logger: Logger, _ order: Order, ticketCode: String, now: Date) async throws -> Order {
        let (confirmed, _) = order.confirmed(ticketCode: ticketCode, at: now)
        // Confirmed, announced and its seats booked in one statement; a lapsed seat rolls the transaction back.
        let booked = try await connection.rows(
            booking(order, ticketCode: ticketCode, now: now), preparedAs: BookedOrder.self, logger)
        guard booked.count == order.seatIds.count else { throw HoldfastError.orderExpired }
        return confirmed
    }

    /// Confirms `order` with `ticketCode`, announces it and books its pending seats; answers the seats booked.
    static func booking(_ order: Order, ticketCode: String, now: Date) -> PostgresQuery {
        let (_, event) = order.confirmed(ticketCode: ticketCode, at: now)
        return """
            WITH confirmed AS (\(confirming: order, ticketCode: ticketCode, at: now)),
            announced AS (\(recording: [event]))
            UPDATE seat_claims SET stage = 'BOOKED', expires_at = NULL
            WHERE order_id = \(order.orderId) AND stage = 'PENDING' AND expires_at > \(now)
            RETURNING seat_id
            """
    }

    enum BookedOrder: PreparedShape {
        static let template = booking(ShapeTemplates.order, ticketCode: "TEMPLATE", now: ShapeTemplates.instant)
    }

    /// Marks a paid order CONFIRMED with its ticket code (from waiting for payment, or from EXPIRED when it was
    /// booked again) and records OrderConfirmed; its seats are already BOOKED for it.
    static func confirm(_ connection: PostgresConnection, _ logger: Logger, _ order: Order, ticketCode: String, now: Date) async throws -> Order {
        let (confirmed, event) = order.confirmed(ticketCode: ticketCode, at: now)
        try await connection.execute(
            "WITH confirmed AS (\(confirming: order, ticketCode: ticketCode, at: now)) \(recording: [event])", logger)
        return confirmed
    }

    /// Marks a lapsed order EXPIRED, frees whatever seats it still holds and records OrderExpired.
    static func expire(_ connection: PostgresConnection, _ logger: Logger, _ order: Order, now: Date) async throws {
        try await connection.execute(expiring(order, now: now), logger)
    }

    /// The order found and locked by key alone, its state tested after (as an order's hold is: see `storing(_:now:)`);
    /// locked, it cannot change before the update.
    static func expiring(_ order: Order, now: Date) -> PostgresQuery {
        var expired = order
        expired.status = .expired
        return """
            WITH found AS MATERIALIZED (SELECT order_id, status FROM orders WHERE order_id = \(order.orderId) FOR UPDATE),
            released AS (DELETE FROM seat_claims WHERE order_id = \(order.orderId) AND stage = 'PENDING'),
            lapsed AS (UPDATE orders SET status = 'EXPIRED' WHERE order_id IN (SELECT order_id FROM found WHERE status = 'PAYMENT_PENDING'))
            \(recording: [BookingEvents.order(.orderExpired, expired, at: now)])
            """
    }

    static func ownedOrder(
        _ connection: PostgresConnection, _ logger: Logger, _ orderId: UUID, userId: String, lock: Bool
    ) async throws -> Order {
        let rows = try await connection.rows(owningOrder(orderId, userId: userId, lock: lock), preparedAs: OwnedOrder.self, logger)
        guard let row = rows.first else { throw HoldfastError.notFound("Order") }
        return try order(row)
    }

    static func owningOrder(_ orderId: UUID, userId: String, lock: Bool) -> PostgresQuery {
        """
        SELECT \(unescaped: orderColumns) FROM orders WHERE order_id = \(orderId) AND user_id = \(userId)
        \(unescaped: lock ? "FOR UPDATE" : "")
        """
    }

    /// Paying reads the order first (locking reads are their own statement).
    enum OwnedOrder: PreparedShape {
        static let template = owningOrder(UUID(), userId: "template", lock: false)
    }

    static func order(_ row: PostgresRandomAccessRow) throws -> Order {
        Order(
            orderId: try row.value("order_id"), userId: try row.value("user_id"), showId: try row.value("show_id"),
            holdId: try row.value("hold_id"), seatIds: try row.value("seat_ids"),
            customer: Customer(
                name: try row.value("customer_name"), email: try row.value("customer_email"), phone: try row.value("customer_phone")),
            amount: Money(minorUnits: try row.value("amount")), status: OrderStatus(rawValue: try row.value("status"))!,
            ticketCode: try row.value("ticket_code"), createdAt: try row.value("created_at"),
            confirmedAt: try row.value("confirmed_at"), cancelledAt: try row.value("cancelled_at"),
            expiresAt: try row.value("expires_at"))
    }
}

extension PostgresQuery.StringInterpolation {
    /// The update that confirms a paid order with its ticket code (from waiting for payment, or from EXPIRED when
    /// it was booked again).
    mutating func appendInterpolation(confirming order: Order, ticketCode: String, at now: Date) {
        appendLiteral("UPDATE orders SET status = 'CONFIRMED', ticket_code = ")
        appendInterpolation(ticketCode)
        appendLiteral(", confirmed_at = ")
        appendInterpolation(now)
        appendLiteral(" WHERE order_id = ")
        appendInterpolation(order.orderId)
        appendLiteral(" AND status IN ('PAYMENT_PENDING', 'EXPIRED')")
    }
}
