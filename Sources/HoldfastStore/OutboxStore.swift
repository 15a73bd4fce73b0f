import Foundation
import HoldfastCore

public enum DeliveryStatus: String, Sendable, Codable {
    case pending = "PENDING"
    case delivered = "DELIVERED"
    case dead = "DEAD"
}

/// One event on its way to one subscriber.
public struct OutboxDelivery: Sendable, Hashable {
    public let seq: Int64
    public let event: DomainEvent
    public let subscriber: String
    /// Attempts made before this one.
    public let attempts: Int
    public let status: DeliveryStatus
    public let lastError: String?
    public let nextAttemptAt: Date

    public init(
        seq: Int64, event: DomainEvent, subscriber: String, attempts: Int, status: DeliveryStatus, lastError: String?,
        nextAttemptAt: Date
    ) {
        self.seq = seq
        self.event = event
        self.subscriber = subscriber
        self.attempts = attempts
        self.status = status
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
    }
}

/// How far behind the outbox is, for metrics.
public struct OutboxBacklog: Sendable, Hashable {
    public let unfanned: Int
    public let pending: Int
    public let dead: Int
    public let oldestPendingSince: Date?

    public init(unfanned: Int, pending: Int, dead: Int, oldestPendingSince: Date?) {
        self.unfanned = unfanned
        self.pending = pending
        self.dead = dead
        self.oldestPendingSince = oldestPendingSince
    }
}

/// The transactional outbox's delivery side. Events get in only with the change that caused them
/// (every store write records its own); from there each is fanned out to one delivery per
/// subscriber and worked off, at least once, in order per aggregate and subscriber.
public protocol OutboxStore: Sendable {
    /// Creates deliveries for up to `limit` events not yet fanned out, oldest first, one per name
    /// `subscribers` gives for the event; answers how many events it fanned out.
    func fanOutEvents(limit: Int, now: Date, subscribers: @escaping @Sendable (DomainEvent) -> [String]) async throws -> Int
    /// Leases up to `limit` deliveries to `owner` until `leaseUntil`: pending, due, not leased by a live owner,
    /// and not behind an earlier pending delivery of the same aggregate to the same subscriber.
    func claimDeliveries(limit: Int, owner: String, now: Date, leaseUntil: Date) async throws -> [OutboxDelivery]
    /// Records that `delivered` reached their subscribers, in one write.
    func completeDeliveries(_ delivered: [OutboxDelivery], now: Date) async throws
    /// Records a failed attempt: due again at `retryAt`, or dead when `retryAt` is nil.
    func failDelivery(seq: Int64, subscriber: String, error: String, retryAt: Date?) async throws
    /// Releases the lease and moves the delivery to `until` without counting an attempt (the endpoint's breaker is open).
    func postponeDelivery(seq: Int64, subscriber: String, until: Date) async throws
    func deliveries(status: DeliveryStatus, page: PageRequest) async throws -> Page<OutboxDelivery>
    /// Puts a dead delivery back in line, due now, attempts reset; false when there is no such dead delivery.
    func replayDelivery(seq: Int64, subscriber: String, now: Date) async throws -> Bool
    /// Every event of one aggregate, oldest first.
    func events(aggregateType: String, aggregateId: String) async throws -> [DomainEvent]
    func outboxBacklog() async throws -> OutboxBacklog
}

/// Turns lapsed holds and orders into HoldExpired / OrderExpired and frees what they still hold.
public protocol ExpiryStore: Sendable {
    /// Expires up to `limit` holds and `limit` orders whose time ran out by `now`; answers how many of each.
    func expireDue(now: Date, limit: Int) async throws -> (holds: Int, orders: Int)
}
