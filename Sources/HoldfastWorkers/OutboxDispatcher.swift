import AsyncHTTPClient
import Foundation
import HoldfastCore
import HoldfastStore
import Logging
import Metrics
import ServiceLifecycle

/// Works off the outbox: fans new events out to their subscribers (the built-in ones and every
/// webhook subscription), leases due deliveries, delivers them concurrently, and records success,
/// a retry with backoff, or a dead letter. Safe in every instance at once: leases keep one owner per
/// delivery, and a lease that lapses (its owner died) lets another instance take over.
public struct OutboxDispatcher: Service {
    public struct Settings: Sendable {
        public var batchSize = 100
        public var lease: TimeInterval = 30
        public var pollInterval: Duration = .milliseconds(100)
        public var retry = RetryPolicy()

        public init() {}
    }

    let stores: any HoldfastStores
    let subscribers: [any EventSubscriber]
    let httpClient: HTTPClient
    let breakers: CircuitBreakers
    let clock: any BookingClock
    let settings: Settings
    let owner: String
    let logger: Logger
    let jitter: @Sendable () -> Double

    public init(
        stores: any HoldfastStores, subscribers: [any EventSubscriber], httpClient: HTTPClient, breakers: CircuitBreakers,
        clock: any BookingClock, settings: Settings = Settings(), owner: String = "dispatcher-\(UUID().uuidString.prefix(8))",
        logger: Logger, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.stores = stores
        self.subscribers = subscribers
        self.httpClient = httpClient
        self.breakers = breakers
        self.clock = clock
        self.settings = settings
        self.owner = owner
        self.logger = logger
        self.jitter = jitter
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastBacklog = ContinuousClock.now - .seconds(60)
            while !Task.isCancelled {
                var worked = 0
                do {
                    worked = try await tick()
                    if ContinuousClock.now - lastBacklog > .seconds(5) {
                        lastBacklog = ContinuousClock.now
                        try await recordBacklog()
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("outbox dispatch failed; retrying", metadata: ["error": "\(error)"])
                }
                // Idle: wait for a local commit after this tick (the tick's own writes ring too, so the
                // count is read now) or the poll interval (other instances' commits).
                let seen = stores.doorbell.count
                // Shutdown cancels the wait: leave quietly, it is not a failure.
                if worked == 0, await !stores.doorbell.wait(after: seen, upTo: settings.pollInterval) { return }
            }
        }
    }

    private func recordBacklog() async throws {
        let backlog = try await stores.outboxBacklog()
        Gauge(label: "holdfast_outbox_events_pending").record(backlog.unfanned + backlog.pending)
        Gauge(label: "holdfast_outbox_dead_letters").record(backlog.dead)
        Gauge(label: "holdfast_outbox_oldest_pending_seconds")
            .record(backlog.oldestPendingSince.map { max(0, clock.now().timeIntervalSince($0)) } ?? 0)
    }

    /// One round: fan out, lease, deliver. Answers how many deliveries it attempted.
    @discardableResult
    public func tick() async throws -> Int {
        let now = clock.now()
        let everyone = subscribers + (try await stores.webhooks()).filter(\.active).map {
            WebhookSubscriber(subscription: $0, client: httpClient, clock: clock) as any EventSubscriber
        }
        // Every event passes here once per cluster, so this counts holds, orders, payments and
        // expiries across all instances (conversion = OrderConfirmed / HoldCreated).
        _ = try await stores.fanOutEvents(limit: settings.batchSize, now: now) { event in
            Counter(label: "holdfast_events_total", dimensions: [("type", event.type)]).increment()
            return everyone.filter { $0.accepts(event) }.map(\.name)
        }
        let due = try await stores.claimDeliveries(
            limit: settings.batchSize, owner: owner, now: now, leaseUntil: now.addingTimeInterval(settings.lease))
        let byName = Dictionary(everyone.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        await withTaskGroup(of: Void.self) { group in
            for delivery in due {
                group.addTask { await deliver(delivery, to: byName[delivery.subscriber]) }
            }
        }
        return due.count
    }

    private func deliver(_ delivery: OutboxDelivery, to subscriber: (any EventSubscriber)?) async {
        let dimensions = [("subscriber", delivery.subscriber.hasPrefix("webhook:") ? "webhook" : delivery.subscriber)]
        do {
            guard let subscriber else {
                try await stores.failDelivery(seq: delivery.seq, subscriber: delivery.subscriber, error: "the subscriber no longer exists", retryAt: nil)
                return
            }
            if case .refused(let until) = await breakers.permit(subscriber.name) {
                try await stores.postponeDelivery(seq: delivery.seq, subscriber: subscriber.name, until: until)
                return
            }
            do {
                try await subscriber.deliver(delivery.event)
                await breakers.recordSuccess(subscriber.name)
                let now = clock.now()
                try await stores.completeDelivery(seq: delivery.seq, subscriber: subscriber.name, now: now)
                Counter(label: "holdfast_outbox_delivered_total", dimensions: dimensions).increment()
                Timer(label: "holdfast_outbox_delivery_latency_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
                    .recordSeconds(max(0, now.timeIntervalSince(delivery.event.occurredAt)))
            } catch {
                await breakers.recordFailure(subscriber.name)
                let attempts = delivery.attempts + 1
                let retryAt = settings.retry.nextAttempt(after: attempts, now: clock.now(), jitter: jitter())
                try await stores.failDelivery(seq: delivery.seq, subscriber: subscriber.name, error: "\(error)", retryAt: retryAt)
                Counter(label: "holdfast_outbox_failed_attempts_total", dimensions: dimensions).increment()
                if retryAt == nil {
                    Counter(label: "holdfast_outbox_dead_letters_total", dimensions: dimensions).increment()
                    logger.error("delivery is dead after \(attempts) attempts", metadata: [
                        "event": "\(delivery.event.eventId)", "type": "\(delivery.event.type)", "subscriber": "\(subscriber.name)",
                    ])
                }
            }
            Gauge(label: "holdfast_webhook_breaker_state", dimensions: [("subscriber", subscriber.name)])
                .record(await breakers.gaugeValue(subscriber.name))
        } catch {
            // The store did not take the outcome; the lease lapses and the delivery is tried again.
            logger.warning("could not record a delivery outcome", metadata: ["error": "\(error)"])
        }
    }
}
