import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func startPayment(_ payment: Payment, now: Date) async throws -> Payment? {
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
                    sql: """
                        INSERT INTO payments (payment_id, order_id, user_id, amount, token, status, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        payment.paymentId.uuidString, payment.orderId.uuidString, payment.userId, payment.amount.minorUnits,
                        payment.token, payment.status.rawValue, SQLiteColumns.millis(payment.createdAt),
                    ])
                try Self.record(db, [PaymentEvents.payment(.paymentInitiated, payment, at: now)])
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
            sql: "UPDATE payments SET status = ?, failure_reason = ?, settled_at = ? WHERE payment_id = ?",
            arguments: [payment.status.rawValue, payment.failureReason, SQLiteColumns.millis(now), paymentId.uuidString])
        try record(db, [payment.settledEvent(at: now)])
        if payment.status == .succeeded, order.status != .cancelled {
            switch try order.confirmationStep(at: now) {
            case .alreadyConfirmed: break
            case .expire:
                try expire(db, order, now: now)
                order.status = .expired
            case .book: order = try book(db, order, ticketCode: ticketCode, now: now)
            }
        }
        return (payment, order)
    }

    static func payment(_ db: Database, _ paymentId: UUID) throws -> Payment? {
        try Row.fetchOne(db, sql: "SELECT * FROM payments WHERE payment_id = ?", arguments: [paymentId.uuidString]).map { row in
            Payment(
                paymentId: row.uuid("payment_id"), orderId: row.uuid("order_id"), userId: row["user_id"],
                amount: Money(minorUnits: row["amount"]), token: row["token"], status: PaymentStatus(rawValue: row["status"])!,
                failureReason: row["failure_reason"], createdAt: row.date("created_at"), settledAt: row.optionalDate("settled_at"))
        }
    }
}
