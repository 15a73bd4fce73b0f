import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    static let eventColumns = "e.seq, e.event_id, e.type, e.aggregate_type, e.aggregate_id, e.payload::text AS payload, e.occurred_at"
    static let deliveryColumns = "d.event_seq, d.subscriber, d.attempts, d.status, d.last_error, d.next_attempt_at"

    /// One instance fans out at a time (an advisory lock; the others skip), so batches go out oldest first.
    public func fanOutEvents(limit: Int, now: Date, subscribers: @escaping @Sendable (DomainEvent) -> [String]) async throws -> Int {
        try await transaction { connection in
            let locked = try await connection.rows("SELECT pg_try_advisory_xact_lock(7243912) AS locked", logger)
                .first?.value("locked", as: Bool.self) ?? false
            guard locked else { return 0 }
            let rows = try await connection.rows(Self.unfanned(limit: limit), preparedAs: UnfannedEvents.self, logger)
            var seqs: [Int64] = [], names: [String] = [], keys: [String] = []
            for row in rows {
                let event = try Self.event(row)
                let seq = try row.value("seq", as: Int64.self)
                for name in subscribers(event) {
                    seqs.append(seq)
                    names.append(name)
                    keys.append(event.aggregateKey)
                }
            }
            if !seqs.isEmpty {
                try await connection.execute(
                    Self.fanningOut(seqs, to: names, keys: keys, now: now), preparedAs: FannedOutDeliveries.self, logger)
            }
            let fanned = try rows.map { try $0.value("seq", as: Int64.self) }
            if !fanned.isEmpty {
                try await connection.execute(Self.markingFannedOut(fanned), preparedAs: FannedOutEvents.self, logger)
            }
            return rows.count
        }
    }

    static func unfanned(limit: Int) -> PostgresQuery {
        "SELECT \(unescaped: Self.eventColumns) FROM outbox_events e WHERE NOT e.fanned_out ORDER BY e.seq LIMIT \(limit)"
    }

    /// A delivery for each event of `seqs` and its subscriber in `names` (their aggregates in `keys`).
    static func fanningOut(_ seqs: [Int64], to names: [String], keys: [String], now: Date) -> PostgresQuery {
        """
        INSERT INTO event_deliveries (event_seq, subscriber, aggregate_key, status, attempts, next_attempt_at, created_at)
        SELECT seq, subscriber, aggregate_key, 'PENDING', 0, \(now), \(now)
        FROM unnest(\(seqs)::bigint[], \(names)::text[], \(keys)::text[]) AS x(seq, subscriber, aggregate_key)
        ON CONFLICT DO NOTHING
        """
    }

    static func markingFannedOut(_ seqs: [Int64]) -> PostgresQuery {
        "UPDATE outbox_events SET fanned_out = TRUE WHERE seq = ANY(\(seqs))"
    }

    /// Every dispatcher round runs these (the first three in its fan-out), many times a second under load; planned
    /// anew each time they cost PostgreSQL more to plan than to run (`pg_stat_statements` over a hot show with one
    /// buyer: ~0.6 ms of planning per purchase, more than its hold's statement takes to run).
    enum UnfannedEvents: PreparedShape {
        static let template = unfanned(limit: 1)
    }

    enum FannedOutDeliveries: PreparedShape {
        static let template = fanningOut([], to: [], keys: [], now: ShapeTemplates.instant)
    }

    enum FannedOutEvents: PreparedShape {
        static let template = markingFannedOut([])
    }

    enum CompletedDeliveries: PreparedShape {
        static let template = completing([], of: [], now: ShapeTemplates.instant)
    }

    public func claimDeliveries(limit: Int, owner: String, now: Date, leaseUntil: Date) async throws -> [OutboxDelivery] {
        try await statement { connection in
            try await connection.rows(Self.leasing(limit: limit, owner: owner, now: now, leaseUntil: leaseUntil), logger)
                .map(Self.delivery).sorted { $0.seq < $1.seq }
        }
    }

    /// The due deliveries, oldest first, none behind an earlier pending one of its subscriber and aggregate; the
    /// leased rows are found by their event's number (joined with `due` alone, PostgreSQL could read the whole table).
    /// Planned for its values on every run, never prepared: two indexes fit the probe for an earlier pending
    /// delivery, and a plan made while the table was empty — a prepared statement's generic plan, made at the
    /// warm-up — probes by event number alone, reading every earlier pending delivery for each one it leases (up to
    /// 0.6 s a lease in a fresh database's first seconds under `spread`, until the statistics caught up). Planned
    /// each time, the table's size as it grows steers it to the (subscriber, aggregate) index; a few leases a
    /// second plan in ~0.3 ms each.
    static func leasing(limit: Int, owner: String, now: Date, leaseUntil: Date) -> PostgresQuery {
        """
        WITH due AS (
            SELECT d.event_seq, d.subscriber FROM event_deliveries d
            WHERE d.status = 'PENDING' AND d.next_attempt_at <= \(now) AND (d.locked_until IS NULL OR d.locked_until <= \(now))
              AND NOT EXISTS (
                SELECT 1 FROM event_deliveries p
                WHERE p.subscriber = d.subscriber AND p.aggregate_key = d.aggregate_key AND p.status = 'PENDING'
                  AND p.event_seq < d.event_seq)
            ORDER BY d.event_seq LIMIT \(limit)
            FOR UPDATE OF d SKIP LOCKED
        )
        UPDATE event_deliveries d SET locked_until = \(leaseUntil), locked_by = \(owner)
        FROM due, outbox_events e
        WHERE d.event_seq = ANY(ARRAY(SELECT event_seq FROM due)) AND d.event_seq = due.event_seq AND d.subscriber = due.subscriber
          AND e.seq = d.event_seq
        RETURNING \(unescaped: Self.deliveryColumns), \(unescaped: Self.eventColumns)
        """
    }

    public func completeDeliveries(_ delivered: [OutboxDelivery], now: Date) async throws {
        guard !delivered.isEmpty else { return }
        let query = Self.completing(delivered.map(\.seq), of: delivered.map(\.subscriber), now: now)
        try await statement { connection in
            try await connection.execute(query, preparedAs: CompletedDeliveries.self, logger)
        }
    }

    static func completing(_ seqs: [Int64], of subscribers: [String], now: Date) -> PostgresQuery {
        """
        UPDATE event_deliveries d SET status = 'DELIVERED', attempts = d.attempts + 1, delivered_at = \(now),
            locked_until = NULL, locked_by = NULL, last_error = NULL
        FROM unnest(\(seqs)::bigint[], \(subscribers)::text[]) AS done(seq, subscriber)
        WHERE d.event_seq = done.seq AND d.subscriber = done.subscriber AND d.status = 'PENDING'
        """
    }

    public func failDelivery(seq: Int64, subscriber: String, error: String, retryAt: Date?) async throws {
        let message = String(error.prefix(1_000))
        try await statement { connection in
            try await connection.execute(
                """
                UPDATE event_deliveries SET attempts = attempts + 1, last_error = \(message), locked_until = NULL, locked_by = NULL,
                    status = CASE WHEN \(retryAt)::timestamptz IS NULL THEN 'DEAD' ELSE 'PENDING' END,
                    next_attempt_at = COALESCE(\(retryAt)::timestamptz, next_attempt_at)
                WHERE event_seq = \(seq) AND subscriber = \(subscriber) AND status = 'PENDING'
                """, logger)
        }
    }

    public func postponeDelivery(seq: Int64, subscriber: String, until: Date) async throws {
        try await statement { connection in
            try await connection.execute(
                """
                UPDATE event_deliveries SET next_attempt_at = \(until), locked_until = NULL, locked_by = NULL
                WHERE event_seq = \(seq) AND subscriber = \(subscriber) AND status = 'PENDING'
                """, logger)
        }
    }

    public func deliveries(status: DeliveryStatus, page: PageRequest) async throws -> Page<OutboxDelivery> {
        try await read { connection in
            let total = try await connection.rows(
                "SELECT COUNT(*) AS total FROM event_deliveries WHERE status = \(status.rawValue)", logger
            ).first?.value("total", as: Int.self) ?? 0
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.deliveryColumns), \(unescaped: Self.eventColumns)
                FROM event_deliveries d JOIN outbox_events e ON e.seq = d.event_seq
                WHERE d.status = \(status.rawValue) ORDER BY d.event_seq LIMIT \(page.pageSize) OFFSET \(page.offset)
                """, logger)
            return Page(items: try rows.map(Self.delivery), page: page.page, pageSize: page.pageSize, total: total)
        }
    }

    public func replayDelivery(seq: Int64, subscriber: String, now: Date) async throws -> Bool {
        try await statement { connection in
            try await !connection.rows(
                """
                UPDATE event_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = \(now), last_error = NULL
                WHERE event_seq = \(seq) AND subscriber = \(subscriber) AND status = 'DEAD'
                RETURNING 1 AS replayed
                """, logger
            ).isEmpty
        }
    }

    public func events(aggregateType: String, aggregateId: String) async throws -> [DomainEvent] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.eventColumns) FROM outbox_events e
                WHERE e.aggregate_type = \(aggregateType) AND e.aggregate_id = \(aggregateId) ORDER BY e.seq
                """, logger
            ).map(Self.event)
        }
    }

    public func outboxBacklog() async throws -> OutboxBacklog {
        try await read { connection in
            let row = try await connection.rows(
                """
                SELECT (SELECT COUNT(*) FROM outbox_events WHERE NOT fanned_out) AS unfanned,
                       (SELECT COUNT(*) FROM event_deliveries WHERE status = 'PENDING') AS pending,
                       (SELECT COUNT(*) FROM event_deliveries WHERE status = 'DEAD') AS dead,
                       (SELECT MIN(created_at) FROM event_deliveries WHERE status = 'PENDING') AS oldest
                """, logger
            ).first!
            return OutboxBacklog(
                unfanned: try row.value("unfanned"), pending: try row.value("pending"), dead: try row.value("dead"),
                oldestPendingSince: try row.value("oldest"))
        }
    }

    static func event(_ row: PostgresRandomAccessRow) throws -> DomainEvent {
        DomainEvent(
            eventId: try row.value("event_id"), type: try row.value("type"), aggregateType: try row.value("aggregate_type"),
            aggregateId: try row.value("aggregate_id"), payload: try row.value("payload"), occurredAt: try row.value("occurred_at"))
    }

    static func delivery(_ row: PostgresRandomAccessRow) throws -> OutboxDelivery {
        OutboxDelivery(
            seq: try row.value("event_seq"), event: try event(row), subscriber: try row.value("subscriber"),
            attempts: try row.value("attempts"), status: DeliveryStatus(rawValue: try row.value("status"))!,
            lastError: try row.value("last_error"), nextAttemptAt: try row.value("next_attempt_at"))
    }
}
