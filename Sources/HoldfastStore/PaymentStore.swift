import Foundation
import HoldfastCore

/// Payment attempts, settled exactly once each.
public protocol PaymentStore: Sendable {
    /// Records a PROCESSING payment (and PaymentInitiated) for the user's order, if it still waits for payment.
    /// A lapsed order is marked EXPIRED instead and `orderExpired` thrown; a confirmed one answers `nil` (nothing to pay).
    func startPayment(_ payment: Payment, now: Date) async throws -> Payment?
    func payment(_ paymentId: UUID) async throws -> Payment?
    /// Applies the gateway's verdict once: a PROCESSING payment becomes SUCCEEDED or DECLINED (with its event);
    /// success books the order's seats and confirms it with `ticketCode` while the order is still pending and live.
    /// A payment already settled is returned as it is. Answers the payment and the order afterwards.
    func settlePayment(_ paymentId: UUID, result: PaymentResult, ticketCode: @Sendable () -> String, now: Date) async throws -> (Payment, Order)
}
