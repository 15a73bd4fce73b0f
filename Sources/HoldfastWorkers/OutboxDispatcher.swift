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
        /// Deliveries leased per round.
        public var batchSize = 100
        /// Rounds under way at once while there is work.
        public var roundsInFlight = 2
        /// Events fanned out per round: a purchase raises five, so this keeps up with a busy sale.
        public var fanOutBatchSize = 1_000
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
            await withTaskGroup(of: Int.self) { rounds in
                var lastBacklog = ContinuousClock.now - .seconds(60)
                var running = 0
                // Whether the last round to end found nothing to do.
                var foundNothing = false
                while !Task.isCancelled {
                    // While there is work, a new round starts as each one ends, so one round's slowest
                    // delivery never holds up the rest of the outbox.
                    if !foundNothing {
                        while running < max(1, settings.roundsInFlight) {
                            rounds.addTask { await round() }
                            running += 1
                        }
                    }
                    if running == 0 {
                        // Idle: wait for a local commit after the last round (their own writes ring too, so the
                        // count is read now) or the poll interval (other instances' commits). Shutdown cancels
                        // the wait: leave quietly, it is not a failure.
                        let seen = stores.doorbell.count
                        if await !stores.doorbell.wait(after: seen, upTo: settings.pollInterval) { return }
                        foundNothing = false
                        continue
                    }
                    guard let worked = await rounds.next() else { continue }
                    running -= 1
                    foundNothing = worked == 0
                    if ContinuousClock.now - lastBacklog > .seconds(5) {
                        lastBacklog = ContinuousClock.now
                        do {
                            try await recordBacklog()
                        } catch {
                            logger.warning("could not read the outbox backlog", metadata: ["error": "\(error)"])
                        }
                    }
                }
            }
        }
    }

    /// One round that logs its failure instead of throwing it; answers how many deliveries it attempted.
    private func round() async -> Int {
        do {
            return try await tick()
        } catch is CancellationError {
            return 0
        } catch {
            logger.warning("outbox dispatch failed; retrying", metadata: ["error": "\(error)"])
            return 0
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
        _ = try await stores.fanOutEvents(limit: settings.fanOutBatchSize, now: now) { event in
            Counter(label: "holdfast_events_total", dimensions: [("type", event.type)]).increment()
            return everyone.filter { $0.accepts(event) }.map(\.name)
        }
        let due = try await stores.claimDeliveries(
            limit: settings.batchSize, owner: owner, now: now, leaseUntil: now.addingTimeInterval(settings.lease))
        let byName = Dictionary(everyone.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let delivered = await withTaskGroup(of: OutboxDelivery?.self) { group in
            for delivery in due {
                group.addTask { await deliver(delivery, to: byName[delivery.subscriber]) ? delivery : nil }
            }
            return await group.reduce(into: [OutboxDelivery]()) { if let delivery = $1 { $0.append(delivery) } }
        }
        // One write for the round's successes; should it fail, their leases lapse and they go out again.
        let completed = clock.now()
        try await stores.completeDeliveries(delivered, now: completed)
        for delivery in delivered {
            let dimensions = Self.dimensions(delivery.subscriber)
            Counter(label: "holdfast_outbox_delivered_total", dimensions: dimensions).increment()
            Timer(label: "holdfast_outbox_delivery_latency_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
                .recordSeconds(max(0, completed.timeIntervalSince(delivery.event.occurredAt)))
        }
        return due.count
    }

    private static func dimensions(_ subscriber: String) -> [(String, String)] {
        [("subscriber", subscriber.hasPrefix("webhook:") ? "webhook" : subscriber)]
    }

    /// Delivers one and records a failure or postponement; answers whether it reached its subscriber (its
    /// success is recorded with the round's).
    private func deliver(_ delivery: OutboxDelivery, to subscriber: (any EventSubscriber)?) async -> Bool {
        let dimensions = Self.dimensions(delivery.subscriber)
        do {
            guard let subscriber else {
                try await stores.failDelivery(seq: delivery.seq, subscriber: delivery.subscriber, error: "the subscriber no longer exists", retryAt: nil)
                return false
            }
            if case .refused(let until) = await breakers.permit(subscriber.name) {
                try await stores.postponeDelivery(seq: delivery.seq, subscriber: subscriber.name, until: until)
                return false
            }
            let reached: Bool
            do {
                try await subscriber.deliver(delivery.event)
                await breakers.recordSuccess(subscriber.name)
                reached = true
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
                reached = false
            }
            Gauge(label: "holdfast_webhook_breaker_state", dimensions: [("subscriber", subscriber.name)])
                .record(await breakers.gaugeValue(subscriber.name))
            return reached
        } catch {
            // The store did not take the outcome; the lease lapses and the delivery is tried again.
            logger.warning("could not record a delivery outcome", metadata: ["error": "\(error)"])
            return false
        }
    }
}
