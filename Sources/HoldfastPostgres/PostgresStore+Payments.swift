import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    static let paymentColumns = "payment_id, order_id, user_id, amount, token, status, failure_reason, created_at, settled_at"

    public func startPayment(_ payment: Payment, now: Date) async throws -> Payment? {
        let outcome: Result<Payment?, HoldfastError> = try await transaction { connection in
            let order = try await Self.ownedOrder(connection, logger, payment.orderId, userId: payment.userId, lock: true)
            switch try order.confirmationStep(at: now) {
            case .alreadyConfirmed:
                return .success(nil)
            case .expire:
                try await Self.expire(connection, logger, order, now: now)
                return .failure(.orderExpired)
            case .book:
                try await connection.execute(
                    """
                    INSERT INTO payments (payment_id, order_id, user_id, amount, token, status, created_at)
                    VALUES (\(payment.paymentId), \(payment.orderId), \(payment.userId), \(payment.amount.minorUnits), \(payment.token),
                            \(payment.status.rawValue), \(payment.createdAt))
                    """, logger)
                try await Self.record(connection, logger, [PaymentEvents.payment(.paymentInitiated, payment, at: now)])
                return .success(payment)
            }
        }
        return try outcome.get()
    }

    public func payment(_ paymentId: UUID) async throws -> Payment? {
        try await read { connection in try await Self.payment(connection, logger, paymentId, lock: false) }
    }

    public func settlePayment(
        _ paymentId: UUID, result: PaymentResult, ticketCode: @Sendable () -> String, now: Date
    ) async throws -> (Payment, Order) {
        for _ in 0..<5 {
            let code = ticketCode()
            do {
                return try await transaction { connection in
                    try await Self.settle(connection, logger, paymentId, result: result, ticketCode: code, now: now)
                }
            } catch let error as PSQLError where error.serverInfo?[.constraintName] == "orders_ticket_code_key" {
                continue  // ticket code collision: draw another
            }
        }
        throw HoldfastError(.internalFailure, code: "TICKET_CODE_EXHAUSTED", message: "Could not allocate a ticket code")
    }

    private static func settle(
        _ connection: PostgresConnection, _ logger: Logger, _ paymentId: UUID, result: PaymentResult, ticketCode: String, now: Date
    ) async throws -> (Payment, Order) {
        guard let current = try await payment(connection, logger, paymentId, lock: true) else { throw HoldfastError.notFound("Payment") }
        var order = try await ownedOrder(connection, logger, current.orderId, userId: current.userId, lock: true)
        guard let payment = current.settled(with: result, at: now) else { return (current, order) }
        try await connection.execute(
            """
            UPDATE payments SET status = \(payment.status.rawValue), failure_reason = \(payment.failureReason), settled_at = \(now)
            WHERE payment_id = \(paymentId)
            """, logger)
        try await record(connection, logger, [payment.settledEvent(at: now)])
        if payment.status == .succeeded, order.status != .cancelled {
            switch try order.confirmationStep(at: now) {
            case .alreadyConfirmed: break
            case .expire:
                try await expire(connection, logger, order, now: now)
                order.status = .expired
            case .book: order = try await book(connection, logger, order, ticketCode: ticketCode, now: now)
            }
        }
        return (payment, order)
    }

    static func payment(_ connection: PostgresConnection, _ logger: Logger, _ paymentId: UUID, lock: Bool) async throws -> Payment? {
        try await connection.rows(
            """
            SELECT \(unescaped: paymentColumns) FROM payments WHERE payment_id = \(paymentId) \(unescaped: lock ? "FOR UPDATE" : "")
            """, logger
        ).first.map { row in
            Payment(
                paymentId: try row.value("payment_id"), orderId: try row.value("order_id"), userId: try row.value("user_id"),
                amount: Money(minorUnits: try row.value("amount")), token: try row.value("token"),
                status: PaymentStatus(rawValue: try row.value("status"))!, failureReason: try row.value("failure_reason"),
                createdAt: try row.value("created_at"), settledAt: try row.value("settled_at"))
        }
    }
}
