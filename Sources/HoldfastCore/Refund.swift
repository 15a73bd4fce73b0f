import Foundation

/// Money a customer paid that bought nothing — the payment arrived after the order lapsed and its seats were
/// gone, after the order was cancelled, or on an order another payment had already confirmed — on its way
/// back through the gateway. A refund is retried until the gateway confirms it; one that keeps failing is
/// FAILED and waits for an admin.
public struct Refund: Sendable, Hashable, Codable {
    public let refundId: UUID
    public let paymentId: UUID
    public let orderId: UUID
    public let userId: String
    public let amount: Money
    public let reason: RefundReason
    public var status: RefundStatus
    public var attempts: Int
    public var lastError: String?
    public var nextAttemptAt: Date
    public let createdAt: Date
    public var settledAt: Date?

    public init(
        refundId: UUID? = nil, payment: Payment, reason: RefundReason, status: RefundStatus = .pending, attempts: Int = 0,
        lastError: String? = nil, nextAttemptAt: Date, createdAt: Date, settledAt: Date? = nil
    ) {
        self.init(
            refundId: refundId ?? UUID(timeOrderedAt: createdAt), paymentId: payment.paymentId, orderId: payment.orderId,
            userId: payment.userId, amount: payment.amount, reason: reason, status: status, attempts: attempts, lastError: lastError,
            nextAttemptAt: nextAttemptAt, createdAt: createdAt, settledAt: settledAt)
    }

    public init(
        refundId: UUID, paymentId: UUID, orderId: UUID, userId: String, amount: Money, reason: RefundReason, status: RefundStatus,
        attempts: Int, lastError: String?, nextAttemptAt: Date, createdAt: Date, settledAt: Date?
    ) {
        self.refundId = refundId
        self.paymentId = paymentId
        self.orderId = orderId
        self.userId = userId
        self.amount = amount
        self.reason = reason
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.settledAt = settledAt
    }
}

public enum RefundReason: String, Sendable, Codable, CaseIterable {
    /// The payment arrived after the order lapsed, and its seats had been taken by then.
    case seatsGone = "SEATS_GONE"
    /// Another payment had already confirmed the order.
    case alreadyPaid = "ALREADY_PAID"
    /// The order had been cancelled.
    case orderCancelled = "ORDER_CANCELLED"
}

public enum RefundStatus: String, Sendable, Codable, CaseIterable {
    case pending = "PENDING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
}

/// What a refund attempt came to.
public enum RefundOutcome: Sendable, Hashable {
    case refunded
    /// Try again at `retryAt`, or give up (FAILED, an admin's case) when it is nil.
    case failed(reason: String, retryAt: Date?)
}

extension Refund {
    /// An admin's retry: a FAILED refund PENDING again, due at `time`.
    public func retried(at time: Date) throws -> Refund {
        guard status == .failed else {
            throw HoldfastError(.conflict, code: "REFUND_NOT_FAILED", message: "The refund is \(status.rawValue)")
        }
        var next = self
        next.status = .pending
        next.nextAttemptAt = time
        next.settledAt = nil
        return next
    }

    /// The refund after an attempt with `outcome`, and the event to record (none for a retry); nil when the
    /// refund is no longer PENDING (settled once).
    public func attempted(_ outcome: RefundOutcome, at time: Date) -> (Refund, EventType?)? {
        guard status == .pending else { return nil }
        var next = self
        next.attempts += 1
        switch outcome {
        case .refunded:
            next.status = .succeeded
            next.settledAt = time
            next.lastError = nil
            return (next, .refundSucceeded)
        case .failed(let reason, let retryAt):
            next.lastError = String(reason.prefix(500))
            guard let retryAt else {
                next.status = .failed
                next.settledAt = time
                return (next, .refundFailed)
            }
            next.nextAttemptAt = retryAt
            return (next, nil)
        }
    }
}

/// The events of refunds, on the order's aggregate so they follow its other events.
public enum RefundEvents {
    struct Payload: Encodable {
        let refundId: UUID
        let paymentId: UUID
        let orderId: UUID
        let userId: String
        let amount: Money
        let reason: String
        let status: String
        let attempts: Int
        let lastError: String?
    }

    public static func refund(_ type: EventType, _ refund: Refund, at time: Date) -> DomainEvent {
        DomainEvent(
            type: type, aggregateType: "order", aggregateId: refund.orderId,
            payload: Payload(
                refundId: refund.refundId, paymentId: refund.paymentId, orderId: refund.orderId, userId: refund.userId,
                amount: refund.amount, reason: refund.reason.rawValue, status: refund.status.rawValue, attempts: refund.attempts,
                lastError: refund.lastError),
            at: time)
    }
}

extension HoldfastError {
    public static let paymentRefunded = HoldfastError(
        .gone, code: "PAYMENT_REFUNDED",
        message: "The payment arrived after the order had lapsed and its seats were taken; it is being refunded")
}
