import Foundation
import HoldfastCore

/// Payment attempts, settled exactly once each.
public protocol PaymentStore: Sendable {
    /// Records a PROCESSING payment (and PaymentInitiated) for the user's order, if it still waits for payment.
    /// A lapsed order is marked EXPIRED instead and `orderExpired` thrown; a confirmed one answers `nil` (nothing to pay).
    func startPayment(_ payment: Payment, now: Date) async throws -> Payment?
    func payment(_ paymentId: UUID) async throws -> Payment?
    /// Applies the gateway's verdict once: a PROCESSING payment becomes SUCCEEDED or DECLINED (with its event).
    /// Money that arrived is never kept for nothing (`Order.paidStep`): it books the pending order's seats and
    /// confirms it with `ticketCode`; for an order that lapsed meanwhile it takes the same seats again when
    /// they are all still free and the show is ahead; otherwise — seats gone, order cancelled or already paid —
    /// it records a PENDING refund (RefundRequested), all in the same transaction. A payment already settled
    /// is returned as it is. Answers the payment and the order afterwards.
    func settlePayment(_ paymentId: UUID, result: PaymentResult, ticketCode: @Sendable () -> String, now: Date) async throws -> (Payment, Order)
    /// `settlePayment` for a payment the caller has just started for `order` (both as it had them): the same
    /// outcome, without reading back what the caller knows. The write still checks that the payment is processing
    /// and the order waits for it, and settles from fresh reads when either changed meanwhile.
    func settleStartedPayment(
        _ payment: Payment, of order: Order, result: PaymentResult, ticketCode: @Sendable () -> String, now: Date
    ) async throws -> (Payment, Order)

    /// PENDING refunds due by `now`, leased to the caller until `leaseUntil` (pushed back, so no other worker
    /// takes them meanwhile).
    func claimDueRefunds(limit: Int, now: Date, leaseUntil: Date) async throws -> [Refund]
    /// Records an attempt on a PENDING refund: SUCCEEDED (RefundSucceeded), PENDING again at the retry time, or
    /// FAILED (RefundFailed) when there is none. A refund no longer PENDING is returned unchanged.
    func settleRefund(_ refundId: UUID, outcome: RefundOutcome, now: Date) async throws -> Refund
    func refunds(status: RefundStatus, page: PageRequest) async throws -> Page<Refund>
    func refund(forPayment paymentId: UUID) async throws -> Refund?
    /// An admin's retry: a FAILED refund is PENDING again, due now.
    func retryRefund(_ refundId: UUID, now: Date) async throws -> Refund
    /// Payments still PROCESSING that started before `before`: the gateway never answered.
    func stuckPayments(before: Date, limit: Int) async throws -> [Payment]
    /// SUCCEEDED payments whose order is not CONFIRMED and that have no refund: money kept for nothing
    /// (only data from before refunds existed, or a hand-made change, can leave one).
    func paidWithoutBooking(limit: Int) async throws -> [Payment]
    /// Records the refund such a payment is owed (RefundRequested), if it still is; true when it did.
    func refundUnbookedPayment(_ paymentId: UUID, now: Date) async throws -> Bool
}
