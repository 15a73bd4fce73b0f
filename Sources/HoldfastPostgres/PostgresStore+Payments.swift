import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    static let paymentColumns = "payment_id, order_id, user_id, amount, token, status, failure_reason, created_at, settled_at"

    public func startPayment(_ payment: Payment, now: Date) async throws -> Payment? {
        // The usual case in one statement: the buyer's order is waiting for payment. Anything else — paid already,
        // lapsed, cancelled, not theirs — takes the transaction, which says which (and marks a lapsed order expired).
        let storing = Self.storing(payment, now: now)
        if try await statement({ connection in try await connection.flag("stored", of: storing, preparedAs: StoredPayment.self, logger) }) {
            return payment
        }
        let outcome: Result<Payment?, HoldfastError> = try await transaction { connection in
            let order = try await Self.ownedOrder(connection, logger, payment.orderId, userId: payment.userId, lock: true)
            switch try order.confirmationStep(at: now) {
            case .alreadyConfirmed:
                return .success(nil)
            case .expire:
                try await Self.expire(connection, logger, order, now: now)
                return .failure(.orderExpired)
            case .book:
                guard try await connection.flag("stored", of: storing, preparedAs: StoredPayment.self, logger) else { throw HoldfastError.orderExpired }
                return .success(payment)
            }
        }
        return try outcome.get()
    }

    /// Stores the payment attempt and its event when its order is the buyer's and waits for payment at `now`
    /// (locking the order), else nothing; its answer's `stored` says which. The order is found by key, its state
    /// tested after (as an order's hold is: see `storing(_:now:)` for orders).
    static func storing(_ payment: Payment, now: Date) -> PostgresQuery {
        """
        WITH found AS MATERIALIZED (
            SELECT order_id, status, expires_at FROM orders WHERE order_id = \(payment.orderId) AND user_id = \(payment.userId)
            FOR UPDATE),
        pending AS (SELECT order_id FROM found WHERE status = 'PAYMENT_PENDING' AND expires_at > \(now)),
        stored AS (
            INSERT INTO payments (payment_id, order_id, user_id, amount, token, status, created_at)
            SELECT \(payment.paymentId), order_id, \(payment.userId), \(payment.amount.minorUnits), \(payment.token),
                   \(payment.status.rawValue), \(payment.createdAt)
            FROM pending),
        missing AS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pending)),
        announced AS (\(recording: [PaymentEvents.payment(.paymentInitiated, payment, at: now)], unless: "missing"))
        SELECT EXISTS (SELECT 1 FROM pending) AS stored
        """
    }

    enum StoredPayment: PreparedShape {
        static let template = storing(ShapeTemplates.payment, now: ShapeTemplates.instant)
    }

    public func payment(_ paymentId: UUID) async throws -> Payment? {
        try await read { connection in try await Self.payment(connection, logger, paymentId, lock: false) }
    }

    public func settlePayment(
        _ paymentId: UUID, result: PaymentResult, ticketCode: @Sendable () -> String, now: Date
    ) async throws -> (Payment, Order) {
        try await settleDrawingCodes(paymentId, known: nil, result: result, ticketCode: ticketCode, now: now)
    }

    public func settleStartedPayment(
        _ payment: Payment, of order: Order, result: PaymentResult, ticketCode: @Sendable () -> String, now: Date
    ) async throws -> (Payment, Order) {
        try await settleDrawingCodes(payment.paymentId, known: (payment, order), result: result, ticketCode: ticketCode, now: now)
    }

    /// Settles, drawing another ticket code when the one drawn is taken.
    private func settleDrawingCodes(
        _ paymentId: UUID, known: (Payment, Order)?, result: PaymentResult, ticketCode: @Sendable () -> String, now: Date
    ) async throws -> (Payment, Order) {
        for _ in 0..<5 {
            let code = ticketCode()
            do {
                if let answer = try await settledAtOnce(paymentId, known: known, result: result, ticketCode: code, now: now) { return answer }
                return try await transaction { connection in
                    try await Self.settle(connection, logger, paymentId, result: result, ticketCode: code, now: now)
                }
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "orders_ticket_code_key" {
                continue  // ticket code collision: draw another
            }
        }
        throw HoldfastError(.internalFailure, code: "TICKET_CODE_EXHAUSTED", message: "Could not allocate a ticket code")
    }

    /// The usual cases after one read of the payment and its order (none when the caller passes them as `known`): a
    /// payment settled already (a replay — the gateway's webhook after its immediate answer — changes nothing and is
    /// answered from the read), or one that succeeded for an order waiting for it, settled in one statement. Nil for
    /// anything else, which the transaction in `settleDrawingCodes` handles (and says what happened).
    private func settledAtOnce(
        _ paymentId: UUID, known: (Payment, Order)?, result: PaymentResult, ticketCode: String, now: Date
    ) async throws -> (Payment, Order)? {
        let found: (Payment, Order)? = if let known { known } else {
            try await read { connection in try await Self.paymentWithOrder(connection, logger, paymentId) }
        }
        guard let (current, order) = found else { return nil }
        // What the caller knew is not an answer: the transaction reads afresh.
        guard current.status == .processing else { return known == nil ? (current, order) : nil }
        guard result == .succeeded, let settled = current.settled(with: result, at: now), order.paidStep(at: now) == .book else { return nil }
        do {
            let done = try await statement(queued: .purchase(order.showId)) { connection in
                try await connection.flag(
                    "settled", of: Self.settling(settled, of: order, ticketCode: ticketCode, now: now), preparedAs: SettledPayment.self, logger)
            }
            return done ? (settled, order.confirmed(ticketCode: ticketCode, at: now).0) : nil
        } catch let error as HoldfastError where error.code == HoldfastError.seatsUnavailable([]).code {
            return nil  // a seat of the order lapsed: the statement wrote nothing, and the transaction says what follows
        }
    }

    /// Settles `payment` (succeeded), confirms `order` with `ticketCode`, announces both and books the order's seats —
    /// when the payment is still processing and the order waits for it (locking both), else nothing; its answer's
    /// `settled` says which. A seat that lapsed meanwhile aborts it with all it wrote (`holdfast_require_seats`). The
    /// payment and the order are found by key, their states tested after (as an order's hold is).
    static func settling(_ payment: Payment, of order: Order, ticketCode: String, now: Date) -> PostgresQuery {
        let (_, confirmed) = order.confirmed(ticketCode: ticketCode, at: now)
        return """
            WITH found_payment AS MATERIALIZED (
                SELECT payment_id, status FROM payments WHERE payment_id = \(payment.paymentId) FOR UPDATE),
            payment AS (SELECT payment_id FROM found_payment WHERE status = 'PROCESSING'),
            found_order AS MATERIALIZED (
                SELECT order_id, status, expires_at FROM orders WHERE order_id = \(order.orderId) AND EXISTS (SELECT 1 FROM payment)
                FOR UPDATE),
            pending AS (SELECT order_id FROM found_order WHERE status = 'PAYMENT_PENDING' AND expires_at > \(now)),
            missing AS (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pending)),
            settled AS (
                UPDATE payments SET status = \(payment.status.rawValue), failure_reason = NULL, settled_at = \(now)
                WHERE payment_id IN (SELECT payment_id FROM payment) AND EXISTS (SELECT 1 FROM pending)),
            confirmed AS (\(confirming: order, ticketCode: ticketCode, at: now) AND order_id IN (SELECT order_id FROM pending)),
            announced AS (\(recording: [payment.settledEvent(at: now), confirmed], unless: "missing")),
            booked AS (
                UPDATE seat_claims SET stage = 'BOOKED', expires_at = NULL
                WHERE order_id IN (SELECT order_id FROM pending) AND stage = 'PENDING' AND expires_at > \(now)
                RETURNING seat_id)
            \(answering: "settled", when: "pending", requiring: order.seatIds, from: "booked")
            """
    }

    enum SettledPayment: PreparedShape {
        static let template = settling(
            ShapeTemplates.payment.settled(with: .succeeded, at: ShapeTemplates.instant)!, of: ShapeTemplates.order, ticketCode: "TEMPLATE",
            now: ShapeTemplates.instant)
    }

    private static func settle(
        _ connection: PostgresConnection, _ logger: Logger, _ paymentId: UUID, result: PaymentResult, ticketCode: String, now: Date
    ) async throws -> (Payment, Order) {
        guard let current = try await payment(connection, logger, paymentId, lock: true) else { throw HoldfastError.notFound("Payment") }
        var order = try await ownedOrder(connection, logger, current.orderId, userId: current.userId, lock: true)
        guard let payment = current.settled(with: result, at: now) else { return (current, order) }
        try await connection.execute(
            """
            WITH settled AS (
                UPDATE payments SET status = \(payment.status.rawValue), failure_reason = \(payment.failureReason), settled_at = \(now)
                WHERE payment_id = \(paymentId))
            \(recording: [payment.settledEvent(at: now)])
            """, logger)
        guard payment.status == .succeeded else { return (payment, order) }
        switch order.paidStep(at: now) {
        case .book:
            order = try await book(connection, logger, order, ticketCode: ticketCode, now: now)
        case .rebook:
            if let rebooked = try await rebook(connection, logger, order, ticketCode: ticketCode, now: now) {
                order = rebooked
            } else {
                if order.status == .paymentPending {
                    try await expire(connection, logger, order, now: now)
                    order.status = .expired
                }
                try await requestRefund(connection, logger, payment, reason: .seatsGone, now: now)
            }
        case .refund(let reason):
            try await requestRefund(connection, logger, payment, reason: reason, now: now)
        }
        return (payment, order)
    }

    /// Books the lapsed order's seats again for it, all or none, if the show is still ahead and on sale:
    /// the claim primitive's conditional upsert, in a savepoint that is rolled back when any seat is taken.
    private static func rebook(
        _ connection: PostgresConnection, _ logger: Logger, _ order: Order, ticketCode: String, now: Date
    ) async throws -> Order? {
        let onSale = try await connection.rows(
            "SELECT 1 FROM shows WHERE show_id = \(order.showId) AND status = 'SCHEDULED' AND start_time > \(now)", logger)
        guard !onSale.isEmpty else { return nil }
        try await connection.execute("SAVEPOINT rebook", logger)
        let claim = ClaimWrite(
            showId: order.showId, seatIds: order.seatIds, userId: order.userId, holdId: order.holdId, orderId: order.orderId,
            expiresAt: nil, now: now)
        guard try missing(of: claim, claimed: try await connection.rows("\(claim)", logger)).isEmpty else {
            try await connection.execute("ROLLBACK TO SAVEPOINT rebook", logger)
            return nil
        }
        try await connection.execute("RELEASE SAVEPOINT rebook", logger)
        return try await confirm(connection, logger, order, ticketCode: ticketCode, now: now)
    }

    static func requestRefund(
        _ connection: PostgresConnection, _ logger: Logger, _ payment: Payment, reason: RefundReason, now: Date
    ) async throws {
        let refund = Refund(payment: payment, reason: reason, nextAttemptAt: now, createdAt: now)
        try await connection.execute(
            """
            INSERT INTO refunds (refund_id, payment_id, order_id, user_id, amount, reason, status, attempts, next_attempt_at, created_at)
            VALUES (\(refund.refundId), \(refund.paymentId), \(refund.orderId), \(refund.userId), \(refund.amount.minorUnits),
                    \(reason.rawValue), 'PENDING', 0, \(now), \(now))
            """, logger)
        try await record(connection, logger, [RefundEvents.refund(.refundRequested, refund, at: now)])
    }

    static let refundColumns = "refund_id, payment_id, order_id, user_id, amount, reason, status, attempts, last_error, next_attempt_at, created_at, settled_at"

    public func claimDueRefunds(limit: Int, now: Date, leaseUntil: Date) async throws -> [Refund] {
        try await statement { connection in
            try await connection.rows(
                """
                UPDATE refunds SET next_attempt_at = \(leaseUntil)
                WHERE refund_id IN (
                    SELECT refund_id FROM refunds WHERE status = 'PENDING' AND next_attempt_at <= \(now)
                    ORDER BY next_attempt_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.refundColumns)
                """, logger
            ).map(Self.refund)
        }
    }

    public func settleRefund(_ refundId: UUID, outcome: RefundOutcome, now: Date) async throws -> Refund {
        try await transaction { connection in
            guard let current = try await connection.rows(
                "SELECT \(unescaped: Self.refundColumns) FROM refunds WHERE refund_id = \(refundId) FOR UPDATE", logger
            ).first.map(Self.refund) else { throw HoldfastError.notFound("Refund") }
            guard let (refund, event) = current.attempted(outcome, at: now) else { return current }
            try await connection.execute(
                """
                UPDATE refunds SET status = \(refund.status.rawValue), attempts = \(refund.attempts), last_error = \(refund.lastError),
                    next_attempt_at = \(refund.nextAttemptAt), settled_at = \(refund.settledAt)
                WHERE refund_id = \(refundId)
                """, logger)
            if let event { try await Self.record(connection, logger, [RefundEvents.refund(event, refund, at: now)]) }
            return refund
        }
    }

    public func refunds(status: RefundStatus, page: PageRequest) async throws -> Page<Refund> {
        try await read { connection in
            let total = try await connection.rows("SELECT COUNT(*) AS n FROM refunds WHERE status = \(status.rawValue)", logger)
                .first?.value("n", as: Int.self) ?? 0
            let items = try await connection.rows(
                """
                SELECT \(unescaped: Self.refundColumns) FROM refunds WHERE status = \(status.rawValue)
                ORDER BY created_at DESC, refund_id LIMIT \(page.pageSize) OFFSET \(page.offset)
                """, logger
            ).map(Self.refund)
            return Page(items: items, page: page.page, pageSize: page.pageSize, total: total)
        }
    }

    public func refund(forPayment paymentId: UUID) async throws -> Refund? {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.refundColumns) FROM refunds WHERE payment_id = \(paymentId)", logger)
                .first.map(Self.refund)
        }
    }

    public func retryRefund(_ refundId: UUID, now: Date) async throws -> Refund {
        try await transaction { connection in
            guard let current = try await connection.rows(
                "SELECT \(unescaped: Self.refundColumns) FROM refunds WHERE refund_id = \(refundId) FOR UPDATE", logger
            ).first.map(Self.refund) else { throw HoldfastError.notFound("Refund") }
            let refund = try current.retried(at: now)
            try await connection.execute(
                "UPDATE refunds SET status = 'PENDING', next_attempt_at = \(now), settled_at = NULL WHERE refund_id = \(refundId)", logger)
            return refund
        }
    }

    public func stuckPayments(before: Date, limit: Int) async throws -> [Payment] {
        try await read { connection in
            let ids = try await connection.rows(
                "SELECT payment_id FROM payments WHERE status = 'PROCESSING' AND created_at < \(before) ORDER BY created_at LIMIT \(limit)",
                logger
            ).map { try $0.value("payment_id", as: UUID.self) }
            var payments: [Payment] = []
            for id in ids { if let payment = try await Self.payment(connection, logger, id, lock: false) { payments.append(payment) } }
            return payments
        }
    }

    public func paidWithoutBooking(limit: Int) async throws -> [Payment] {
        try await read { connection in
            let ids = try await connection.rows(
                """
                SELECT p.payment_id FROM payments p JOIN orders o ON o.order_id = p.order_id
                WHERE p.status = 'SUCCEEDED' AND o.status <> 'CONFIRMED'
                  AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.payment_id)
                ORDER BY p.created_at LIMIT \(limit)
                """, logger
            ).map { try $0.value("payment_id", as: UUID.self) }
            var payments: [Payment] = []
            for id in ids { if let payment = try await Self.payment(connection, logger, id, lock: false) { payments.append(payment) } }
            return payments
        }
    }

    public func refundUnbookedPayment(_ paymentId: UUID, now: Date) async throws -> Bool {
        try await transaction { connection in
            guard let payment = try await Self.payment(connection, logger, paymentId, lock: true), payment.status == .succeeded else { return false }
            let order = try await Self.ownedOrder(connection, logger, payment.orderId, userId: payment.userId, lock: true)
            let refunded = try await connection.rows("SELECT 1 FROM refunds WHERE payment_id = \(paymentId)", logger)
            guard order.status != .confirmed, refunded.isEmpty else { return false }
            try await Self.requestRefund(connection, logger, payment, reason: order.refundReason, now: now)
            return true
        }
    }

    static func refund(_ row: PostgresRandomAccessRow) throws -> Refund {
        Refund(
            refundId: try row.value("refund_id"), paymentId: try row.value("payment_id"), orderId: try row.value("order_id"),
            userId: try row.value("user_id"), amount: Money(minorUnits: try row.value("amount")),
            reason: RefundReason(rawValue: try row.value("reason"))!, status: RefundStatus(rawValue: try row.value("status"))!,
            attempts: try row.value("attempts"), lastError: try row.value("last_error"), nextAttemptAt: try row.value("next_attempt_at"),
            createdAt: try row.value("created_at"), settledAt: try row.value("settled_at"))
    }

    static func payment(_ connection: PostgresConnection, _ logger: Logger, _ paymentId: UUID, lock: Bool) async throws -> Payment? {
        try await connection.rows(paying(paymentId, lock: lock), preparedAs: PaymentById.self, logger).first.map { try payment($0) }
    }

    static func paying(_ paymentId: UUID, lock: Bool) -> PostgresQuery {
        "SELECT \(unescaped: paymentColumns) FROM payments WHERE payment_id = \(paymentId) \(unescaped: lock ? "FOR UPDATE" : "")"
    }

    /// The simulated gateway reads every payment it answers for (locking reads are their own statement).
    enum PaymentById: PreparedShape {
        static let template = paying(UUID(), lock: false)
    }

    /// The payment and the order it pays for, in one round trip; nil when either is missing.
    static func paymentWithOrder(_ connection: PostgresConnection, _ logger: Logger, _ paymentId: UUID) async throws -> (Payment, Order)? {
        try await connection.rows(payingFor(paymentId), preparedAs: PaymentWithOrder.self, logger)
            .first.map { row in (try payment(row, prefix: "p_"), try order(row)) }
    }

    static func payingFor(_ paymentId: UUID) -> PostgresQuery {
        """
        SELECT \(unescaped: qualifiedOrderColumns), \(unescaped: prefixedPaymentColumns)
        FROM payments p JOIN orders o ON o.order_id = p.order_id AND o.user_id = p.user_id
        WHERE p.payment_id = \(paymentId)
        """
    }

    /// Every gateway webhook reads it.
    enum PaymentWithOrder: PreparedShape {
        static let template = payingFor(UUID())
    }

    /// The payment's columns named with the prefix `p_`, beside the order's.
    private static let prefixedPaymentColumns = qualified(paymentColumns, by: "p", prefix: "p_")

    static func payment(_ row: PostgresRandomAccessRow, prefix: String = "") throws -> Payment {
        Payment(
            paymentId: try row.value(prefix + "payment_id"), orderId: try row.value(prefix + "order_id"),
            userId: try row.value(prefix + "user_id"), amount: Money(minorUnits: try row.value(prefix + "amount")),
            token: try row.value(prefix + "token"), status: PaymentStatus(rawValue: try row.value(prefix + "status"))!,
            failureReason: try row.value(prefix + "failure_reason"), createdAt: try row.value(prefix + "created_at"),
            settledAt: try row.value(prefix + "settled_at"))
    }
}
