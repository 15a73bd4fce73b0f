import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func startPayment(_ payment: Payment, now: Date) async throws -> Payment? {
        let initiated = PaymentEvents.payment(.paymentInitiated, payment, at: now)
        let outcome: Result<Payment?, HoldfastError> = try await write { db in
            let order = try Self.ownedOrder(db, payment.orderId, userId: payment.userId)
            switch try order.confirmationStep(at: now) {
            case .alreadyConfirmed:
                return .success(nil)
            case .expire:
                try Self.expire(db, order, now: now)
                return .failure(.orderExpired)
            case .book:
                try db.execute(
                    cached: """
                        INSERT INTO payments (payment_id, order_id, user_id, amount, token, status, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        payment.paymentId.uuidString, payment.orderId.uuidString, payment.userId, payment.amount.minorUnits,
                        payment.token, payment.status.rawValue, SQLiteColumns.millis(payment.createdAt),
                    ])
                try Self.record(db, [initiated])
                return .success(payment)
            }
        }
        return try outcome.get()
    }

    public func payment(_ paymentId: UUID) async throws -> Payment? {
        try await read { db in try Self.payment(db, paymentId) }
    }

    public func settlePayment(
        _ paymentId: UUID, result: PaymentResult, ticketCode: @Sendable () -> String, now: Date
    ) async throws -> (Payment, Order) {
        // A payment settled already — the gateway's webhook after its immediate answer — is answered from a read, as
        // PostgreSQL's store does: no turn of the writer to find nothing to do.
        let settled: (Payment, Order)? = try await read { db in
            guard let current = try Self.payment(db, paymentId), current.status != .processing else { return nil }
            return (current, try Self.ownedOrder(db, current.orderId, userId: current.userId))
        }
        if let settled { return settled }
        return try await settleInTurn(paymentId, result: result, ticketCode: ticketCode, now: now)
    }

    public func settleStartedPayment(
        _ payment: Payment, of order: Order, result: PaymentResult, ticketCode: @Sendable () -> String, now: Date
    ) async throws -> (Payment, Order) {
        try await settleInTurn(payment.paymentId, result: result, ticketCode: ticketCode, now: now)
    }

    /// Settles in a turn of the writer, which reads the payment and its order afresh.
    private func settleInTurn(
        _ paymentId: UUID, result: PaymentResult, ticketCode: @Sendable () -> String, now: Date
    ) async throws -> (Payment, Order) {
        for _ in 0..<5 {
            let code = ticketCode()
            do {
                return try await write { db in try Self.settle(db, paymentId, result: result, ticketCode: code, now: now) }
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                continue  // ticket code collision: draw another
            }
        }
        throw HoldfastError(.internalFailure, code: "TICKET_CODE_EXHAUSTED", message: "Could not allocate a ticket code")
    }

    private static func settle(_ db: Database, _ paymentId: UUID, result: PaymentResult, ticketCode: String, now: Date) throws -> (Payment, Order) {
        guard let current = try payment(db, paymentId) else { throw HoldfastError.notFound("Payment") }
        var order = try ownedOrder(db, current.orderId, userId: current.userId)
        guard let payment = current.settled(with: result, at: now) else { return (current, order) }
        try db.execute(
            cached: "UPDATE payments SET status = ?, failure_reason = ?, settled_at = ? WHERE payment_id = ?",
            arguments: [payment.status.rawValue, payment.failureReason, SQLiteColumns.millis(now), paymentId.uuidString])
        try record(db, [payment.settledEvent(at: now)])
        guard payment.status == .succeeded else { return (payment, order) }
        switch order.paidStep(at: now) {
        case .book:
            order = try book(db, order, ticketCode: ticketCode, now: now)
        case .rebook:
            if let rebooked = try rebook(db, order, ticketCode: ticketCode, now: now) {
                order = rebooked
            } else {
                if order.status == .paymentPending {
                    try expire(db, order, now: now)
                    order.status = .expired
                }
                try requestRefund(db, payment, reason: .seatsGone, now: now)
            }
        case .refund(let reason):
            try requestRefund(db, payment, reason: reason, now: now)
        }
        return (payment, order)
    }

    /// Books the lapsed order's seats again for it, all or none, if the show is still ahead and on sale:
    /// the claim primitive's conditional upsert, in a savepoint that is rolled back when any seat is taken.
    private static func rebook(_ db: Database, _ order: Order, ticketCode: String, now: Date) throws -> Order? {
        let onSale = try Bool.fetchOne(
            db, cached: "SELECT status = 'SCHEDULED' AND start_time > ? FROM shows WHERE show_id = ?",
            arguments: [SQLiteColumns.millis(now), order.showId.uuidString]) ?? false
        guard onSale else { return nil }
        var rebooked: Order?
        try db.inSavepoint {
            let claimed = try upsertClaims(
                db, showId: order.showId, seatIds: order.seatIds, userId: order.userId, holdId: order.holdId, orderId: order.orderId,
                expiresAt: nil, now: now)
            guard claimed.count == order.seatIds.count else { return .rollback }
            rebooked = try confirm(db, order, ticketCode: ticketCode, now: now)
            return .commit
        }
        return rebooked
    }

    static func requestRefund(_ db: Database, _ payment: Payment, reason: RefundReason, now: Date) throws {
        let refund = Refund(payment: payment, reason: reason, nextAttemptAt: now, createdAt: now)
        try db.execute(
            cached: """
                INSERT INTO refunds (refund_id, payment_id, order_id, user_id, amount, reason, status, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)
                """,
            arguments: [
                refund.refundId.uuidString, refund.paymentId.uuidString, refund.orderId.uuidString, refund.userId,
                refund.amount.minorUnits, reason.rawValue, SQLiteColumns.millis(now), SQLiteColumns.millis(now),
            ])
        try record(db, [RefundEvents.refund(.refundRequested, refund, at: now)])
    }

    public func claimDueRefunds(limit: Int, now: Date, leaseUntil: Date) async throws -> [Refund] {
        try await write { db in
            try Row.fetchAll(
                db,
                cached: """
                    UPDATE refunds SET next_attempt_at = ?
                    WHERE refund_id IN (
                        SELECT refund_id FROM refunds WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?)
                    RETURNING *
                    """,
                arguments: [SQLiteColumns.millis(leaseUntil), SQLiteColumns.millis(now), limit]
            ).map(Self.refund)
        }
    }

    public func settleRefund(_ refundId: UUID, outcome: RefundOutcome, now: Date) async throws -> Refund {
        try await write { db in
            guard let current = try Self.refund(db, refundId) else { throw HoldfastError.notFound("Refund") }
            guard let (refund, event) = current.attempted(outcome, at: now) else { return current }
            try db.execute(
                cached: """
                    UPDATE refunds SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, settled_at = ?
                    WHERE refund_id = ?
                    """,
                arguments: [
                    refund.status.rawValue, refund.attempts, refund.lastError, SQLiteColumns.millis(refund.nextAttemptAt),
                    refund.settledAt.map(SQLiteColumns.millis), refundId.uuidString,
                ])
            if let event { try Self.record(db, [RefundEvents.refund(event, refund, at: now)]) }
            return refund
        }
    }

    public func refunds(status: RefundStatus, page: PageRequest) async throws -> Page<Refund> {
        try await read { db in
            let total = try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM refunds WHERE status = ?", arguments: [status.rawValue]) ?? 0
            let items = try Row.fetchAll(
                db, cached: "SELECT * FROM refunds WHERE status = ? ORDER BY created_at DESC, refund_id LIMIT ? OFFSET ?",
                arguments: [status.rawValue, page.pageSize, page.offset]
            ).map(Self.refund)
            return Page(items: items, page: page.page, pageSize: page.pageSize, total: total)
        }
    }

    public func refund(forPayment paymentId: UUID) async throws -> Refund? {
        try await read { db in
            try Row.fetchOne(db, cached: "SELECT * FROM refunds WHERE payment_id = ?", arguments: [paymentId.uuidString]).map(Self.refund)
        }
    }

    public func retryRefund(_ refundId: UUID, now: Date) async throws -> Refund {
        try await write { db in
            guard let current = try Self.refund(db, refundId) else { throw HoldfastError.notFound("Refund") }
            let refund = try current.retried(at: now)
            try db.execute(
                cached: "UPDATE refunds SET status = 'PENDING', next_attempt_at = ?, settled_at = NULL WHERE refund_id = ?",
                arguments: [SQLiteColumns.millis(now), refundId.uuidString])
            return refund
        }
    }

    public func stuckPayments(before: Date, limit: Int) async throws -> [Payment] {
        try await read { db in
            try String.fetchAll(
                db, cached: "SELECT payment_id FROM payments WHERE status = 'PROCESSING' AND created_at < ? ORDER BY created_at LIMIT ?",
                arguments: [SQLiteColumns.millis(before), limit]
            ).compactMap { try Self.payment(db, UUID(uuidString: $0)!) }
        }
    }

    static let paidWithoutBookingSQL = """
        SELECT p.payment_id FROM payments p JOIN orders o ON o.order_id = p.order_id
        WHERE p.status = 'SUCCEEDED' AND o.status <> 'CONFIRMED'
          AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.payment_id)
        """

    public func paidWithoutBooking(limit: Int) async throws -> [Payment] {
        try await read { db in
            try String.fetchAll(db, cached: Self.paidWithoutBookingSQL + " ORDER BY p.created_at LIMIT ?", arguments: [limit])
                .compactMap { try Self.payment(db, UUID(uuidString: $0)!) }
        }
    }

    public func refundUnbookedPayment(_ paymentId: UUID, now: Date) async throws -> Bool {
        try await write { db in
            guard try String.fetchOne(db, cached: Self.paidWithoutBookingSQL + " AND p.payment_id = ?", arguments: [paymentId.uuidString]) != nil,
                let payment = try Self.payment(db, paymentId)
            else { return false }
            let order = try Self.ownedOrder(db, payment.orderId, userId: payment.userId)
            try Self.requestRefund(db, payment, reason: order.refundReason, now: now)
            return true
        }
    }

    static func refund(_ db: Database, _ refundId: UUID) throws -> Refund? {
        try Row.fetchOne(db, cached: "SELECT * FROM refunds WHERE refund_id = ?", arguments: [refundId.uuidString]).map(refund)
    }

    static func refund(_ row: Row) -> Refund {
        Refund(
            refundId: row.uuid("refund_id"), paymentId: row.uuid("payment_id"), orderId: row.uuid("order_id"), userId: row["user_id"],
            amount: Money(minorUnits: row["amount"]), reason: RefundReason(rawValue: row["reason"])!,
            status: RefundStatus(rawValue: row["status"])!, attempts: row["attempts"], lastError: row["last_error"],
            nextAttemptAt: row.date("next_attempt_at"), createdAt: row.date("created_at"), settledAt: row.optionalDate("settled_at"))
    }

    static func payment(_ db: Database, _ paymentId: UUID) throws -> Payment? {
        try Row.fetchOne(db, cached: "SELECT * FROM payments WHERE payment_id = ?", arguments: [paymentId.uuidString]).map { row in
            Payment(
                paymentId: row.uuid("payment_id"), orderId: row.uuid("order_id"), userId: row["user_id"],
                amount: Money(minorUnits: row["amount"]), token: row["token"], status: PaymentStatus(rawValue: row["status"])!,
                failureReason: row["failure_reason"], createdAt: row.date("created_at"), settledAt: row.optionalDate("settled_at"))
        }
    }
}
