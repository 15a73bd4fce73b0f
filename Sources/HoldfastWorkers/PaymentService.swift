import Foundation
import HoldfastCore
import HoldfastStore

/// Paying for an order: record the attempt, ask the gateway (giving up after `timeout`), settle.
/// A payment settles exactly once, whichever arrives first — the gateway's answer or its webhook.
public struct PaymentService: Sendable {
    public enum Outcome: Sendable {
        /// The order is paid (now, or already before).
        case confirmed(Order, Payment?)
        /// The gateway has not answered yet; its webhook will settle the payment.
        case processing(Order, Payment)
    }

    public let stores: any HoldfastStores
    public let gateway: any PaymentGateway
    public let clock: any BookingClock
    public let timeout: Duration
    public let webhookSecret: String

    public init(stores: any HoldfastStores, gateway: any PaymentGateway, clock: any BookingClock, timeout: Duration, webhookSecret: String) {
        self.stores = stores
        self.gateway = gateway
        self.clock = clock
        self.timeout = timeout
        self.webhookSecret = webhookSecret
    }

    public func pay(orderId: UUID, userId: String, token: String) async throws -> Outcome {
        try gateway.validate(token: token)
        let order = try await stores.order(orderId, userId: userId)
        let attempt = Payment(orderId: orderId, userId: userId, amount: order.amount, token: token, createdAt: clock.now())
        guard let payment = try await stores.startPayment(attempt, now: clock.now()) else { return .confirmed(order, nil) }
        guard let result = try await answer(payment) else { return .processing(order, payment) }
        let (settled, updated) = try await stores.settleStartedPayment(
            payment, of: order, result: result, ticketCode: { TicketCode.make() }, now: clock.now())
        if case .declined(let reason) = result { throw HoldfastError.paymentDeclined(reason) }
        // Paid but not booked (the order lapsed meanwhile and its seats were taken): the refund is on its way.
        guard updated.status == .confirmed else { throw HoldfastError.paymentRefunded }
        return .confirmed(updated, settled)
    }

    /// Applies a verified webhook; replays change nothing (each store answers them from a read).
    public func settle(paymentId: UUID, result: PaymentResult) async throws -> (Payment, Order) {
        try await stores.settlePayment(paymentId, result: result, ticketCode: { TicketCode.make() }, now: clock.now())
    }

    /// The gateway's answer, or nil when it took longer than `timeout`.
    private func answer(_ payment: Payment) async throws -> PaymentResult? {
        let gateway = self.gateway
        do {
            return try await Deadline.run(limit: timeout, timeoutError: GatewayTimeout()) { try await gateway.charge(payment) }
        } catch is GatewayTimeout {
            return nil
        }
    }
}

struct GatewayTimeout: Error {}
