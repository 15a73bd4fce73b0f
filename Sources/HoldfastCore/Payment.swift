import Foundation

/// One attempt to pay for an order through the payment gateway.
public struct Payment: Sendable, Hashable, Codable {
    public let paymentId: UUID
    public let orderId: UUID
    public let userId: String
    public let amount: Money
    /// The gateway's token for the means of payment (test tokens with the simulated gateway).
    public let token: String
    public var status: PaymentStatus
    public var failureReason: String?
    public let createdAt: Date
    public var settledAt: Date?

    public init(
        paymentId: UUID? = nil, orderId: UUID, userId: String, amount: Money, token: String, status: PaymentStatus = .processing,
        failureReason: String? = nil, createdAt: Date, settledAt: Date? = nil
    ) {
        self.paymentId = paymentId ?? UUID(timeOrderedAt: createdAt)
        self.orderId = orderId
        self.userId = userId
        self.amount = amount
        self.token = token
        self.status = status
        self.failureReason = failureReason
        self.createdAt = createdAt
        self.settledAt = settledAt
    }
}

extension Payment {
    /// The payment with the gateway's verdict applied, or nil when it was settled already (settle once).
    public func settled(with result: PaymentResult, at time: Date) -> Payment? {
        guard status == .processing else { return nil }
        var settled = self
        switch result {
        case .declined(let reason):
            settled.status = .declined
            settled.failureReason = reason
        case .succeeded:
            settled.status = .succeeded
        }
        settled.settledAt = time
        return settled
    }

    /// PaymentSucceeded or PaymentDeclined, by how the payment settled.
    public func settledEvent(at time: Date) -> DomainEvent {
        PaymentEvents.payment(status == .succeeded ? .paymentSucceeded : .paymentDeclined, self, at: time)
    }
}

public enum PaymentStatus: String, Sendable, Codable {
    case processing = "PROCESSING"
    case succeeded = "SUCCEEDED"
    case declined = "DECLINED"
}

/// What the gateway said about a payment.
public enum PaymentResult: Sendable, Hashable {
    case succeeded
    case declined(reason: String)
}

extension HoldfastError {
    public static func paymentDeclined(_ reason: String) -> HoldfastError {
        HoldfastError(.paymentRequired, code: "PAYMENT_DECLINED", message: "The payment was declined: \(reason). The order is still waiting for payment.")
    }
    public static let invalidPaymentToken = HoldfastError.invalid(
        "paymentToken is not a token this gateway knows", code: "INVALID_PAYMENT_TOKEN")
    public static let badWebhookSignature = HoldfastError(
        .unauthenticated, code: "BAD_SIGNATURE", message: "The webhook signature or timestamp is not valid")
}

/// The events of payments.
public enum PaymentEvents {
    struct PaymentPayload: Encodable {
        let paymentId: UUID
        let orderId: UUID
        let userId: String
        let amount: Money
        let status: String
        let failureReason: String?
    }

    public static func payment(_ type: EventType, _ payment: Payment, at time: Date) -> DomainEvent {
        DomainEvent(
            type: type, aggregateType: "order", aggregateId: payment.orderId,
            payload: PaymentPayload(
                paymentId: payment.paymentId, orderId: payment.orderId, userId: payment.userId, amount: payment.amount,
                status: payment.status.rawValue, failureReason: payment.failureReason),
            at: time)
    }
}
