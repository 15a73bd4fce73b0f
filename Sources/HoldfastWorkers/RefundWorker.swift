import Foundation
import HoldfastCore
import HoldfastStore
import Logging
import Metrics
import ServiceLifecycle

/// Sends back money that bought nothing: takes due refunds (leased, so instances never pay one out twice),
/// asks the gateway, and records the outcome — retried with backoff, FAILED for an admin after the last try.
public struct RefundWorker: Service {
    let stores: any HoldfastStores
    let gateway: any PaymentGateway
    let clock: any BookingClock
    let retry: RetryPolicy
    let interval: Duration
    let lease: TimeInterval
    let logger: Logger

    public init(
        stores: any HoldfastStores, gateway: any PaymentGateway, clock: any BookingClock, retry: RetryPolicy = RetryPolicy(),
        interval: Duration = .seconds(1), lease: TimeInterval = 60, logger: Logger
    ) {
        self.stores = stores
        self.gateway = gateway
        self.clock = clock
        self.retry = retry
        self.interval = interval
        self.lease = lease
        self.logger = logger
    }

    public func run() async throws {
        await WorkerLoop.run("refunds", logger: logger, every: interval) { _ = try await tick() }
    }

    /// One round: every due refund attempted once. Answers the refunds as recorded afterwards.
    @discardableResult
    public func tick() async throws -> [Refund] {
        let now = clock.now()
        var settled: [Refund] = []
        for refund in try await stores.claimDueRefunds(limit: 50, now: now, leaseUntil: now.addingTimeInterval(lease)) {
            let outcome: RefundOutcome
            do {
                try await gateway.refund(refund)
                outcome = .refunded
                Counter(label: "holdfast_refunds_total", dimensions: [("reason", refund.reason.rawValue)]).increment()
            } catch {
                let retryAt = retry.nextAttempt(after: refund.attempts + 1, now: clock.now(), jitter: Double.random(in: 0..<1))
                outcome = .failed(reason: "\(error)", retryAt: retryAt)
                if retryAt == nil {
                    logger.error("refund failed for good; an admin must settle it", metadata: ["refund": "\(refund.refundId)"])
                }
            }
            settled.append(try await stores.settleRefund(refund.refundId, outcome: outcome, now: clock.now()))
        }
        return settled
    }
}
