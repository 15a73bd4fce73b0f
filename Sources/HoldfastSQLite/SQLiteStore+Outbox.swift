import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func fanOutEvents(limit: Int, now: Date, subscribers: @escaping @Sendable (DomainEvent) -> [String]) async throws -> Int {
        try await write { db in
            let rows = try Row.fetchAll(db, cached: "SELECT * FROM outbox_events WHERE fanned_out = 0 ORDER BY seq LIMIT ?", arguments: [limit])
            for row in rows {
                let event = Self.event(row)
                let seq: Int64 = row["seq"]
                for subscriber in subscribers(event) {
                    try db.execute(
                        cached: """
                            INSERT INTO event_deliveries (event_seq, subscriber, aggregate_key, status, attempts, next_attempt_at, created_at)
                            VALUES (?, ?, ?, 'PENDING', 0, ?, ?)
                            ON CONFLICT DO NOTHING
                            """,
                        arguments: [seq, subscriber, event.aggregateKey, SQLiteColumns.millis(now), SQLiteColumns.millis(now)])
                }
                try db.execute(cached: "UPDATE outbox_events SET fanned_out = 1 WHERE seq = ?", arguments: [seq])
            }
            return rows.count
        }
    }

    public func claimDeliveries(limit: Int, owner: String, now: Date, leaseUntil: Date) async throws -> [OutboxDelivery] {
        try await write { db in
            let nowMillis = SQLiteColumns.millis(now)
            let rows = try Row.fetchAll(
                db,
                cached: """
                    SELECT d.event_seq, d.subscriber, d.attempts, d.status, d.last_error, d.next_attempt_at, e.*
                    FROM event_deliveries d JOIN outbox_events e ON e.seq = d.event_seq
                    WHERE d.status = 'PENDING' AND d.next_attempt_at <= ? AND (d.locked_until IS NULL OR d.locked_until <= ?)
                      AND NOT EXISTS (
                        SELECT 1 FROM event_deliveries p
                        WHERE p.subscriber = d.subscriber AND p.aggregate_key = d.aggregate_key AND p.status = 'PENDING'
                          AND p.event_seq < d.event_seq)
                    ORDER BY d.event_seq LIMIT ?
                    """,
                arguments: [nowMillis, nowMillis, limit])
            for row in rows {
                try db.execute(
                    cached: "UPDATE event_deliveries SET locked_until = ?, locked_by = ? WHERE event_seq = ? AND subscriber = ?",
                    arguments: [SQLiteColumns.millis(leaseUntil), owner, row["event_seq"] as Int64, row["subscriber"] as String])
            }
            return rows.map(Self.delivery)
        }
    }

    public func completeDeliveries(_ delivered: [OutboxDelivery], now: Date) async throws {
        guard !delivered.isEmpty else { return }
        try await write { db in
            for delivery in delivered {
                try db.execute(
                    cached: """
                        UPDATE event_deliveries SET status = 'DELIVERED', attempts = attempts + 1, delivered_at = ?,
                            locked_until = NULL, locked_by = NULL, last_error = NULL
                        WHERE event_seq = ? AND subscriber = ? AND status = 'PENDING'
                        """,
                    arguments: [SQLiteColumns.millis(now), delivery.seq, delivery.subscriber])
            }
        }
    }

    public func failDelivery(seq: Int64, subscriber: String, error: String, retryAt: Date?) async throws {
        try await write { db in
            try db.execute(
                cached: """
                    UPDATE event_deliveries SET attempts = attempts + 1, last_error = ?, locked_until = NULL, locked_by = NULL,
                        status = CASE WHEN ? IS NULL THEN 'DEAD' ELSE 'PENDING' END,
                        next_attempt_at = COALESCE(?, next_attempt_at)
                    WHERE event_seq = ? AND subscriber = ? AND status = 'PENDING'
                    """,
                arguments: [String(error.prefix(1_000)), retryAt.map(SQLiteColumns.millis), retryAt.map(SQLiteColumns.millis), seq, subscriber])
        }
    }

    public func postponeDelivery(seq: Int64, subscriber: String, until: Date) async throws {
        try await write { db in
            try db.execute(
                cached: """
                    UPDATE event_deliveries SET next_attempt_at = ?, locked_until = NULL, locked_by = NULL
                    WHERE event_seq = ? AND subscriber = ? AND status = 'PENDING'
                    """,
                arguments: [SQLiteColumns.millis(until), seq, subscriber])
        }
    }

    public func deliveries(status: DeliveryStatus, page: PageRequest) async throws -> Page<OutboxDelivery> {
        try await read { db in
            let total = try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM event_deliveries WHERE status = ?", arguments: [status.rawValue]) ?? 0
            let rows = try Row.fetchAll(
                db,
                cached: """
                    SELECT d.event_seq, d.subscriber, d.attempts, d.status, d.last_error, d.next_attempt_at, e.*
                    FROM event_deliveries d JOIN outbox_events e ON e.seq = d.event_seq
                    WHERE d.status = ? ORDER BY d.event_seq LIMIT ? OFFSET ?
                    """,
                arguments: [status.rawValue, page.pageSize, page.offset])
            return Page(items: rows.map(Self.delivery), page: page.page, pageSize: page.pageSize, total: total)
        }
    }

    public func replayDelivery(seq: Int64, subscriber: String, now: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                cached: """
                    UPDATE event_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = ?, last_error = NULL
                    WHERE event_seq = ? AND subscriber = ? AND status = 'DEAD'
                    """,
                arguments: [SQLiteColumns.millis(now), seq, subscriber])
            return db.changesCount == 1
        }
    }

    public func events(aggregateType: String, aggregateId: String) async throws -> [DomainEvent] {
        try await read { db in
            try Row.fetchAll(
                db, cached: "SELECT * FROM outbox_events WHERE aggregate_type = ? AND aggregate_id = ? ORDER BY seq",
                arguments: [aggregateType, aggregateId]
            ).map(Self.event)
        }
    }

    public func outboxBacklog() async throws -> OutboxBacklog {
        try await scan { db in
            let row = try Row.fetchOne(
                db,
                cached: """
                    SELECT (SELECT COUNT(*) FROM outbox_events WHERE fanned_out = 0) AS unfanned,
                           (SELECT COUNT(*) FROM event_deliveries WHERE status = 'PENDING') AS pending,
                           (SELECT COUNT(*) FROM event_deliveries WHERE status = 'DEAD') AS dead,
                           (SELECT MIN(created_at) FROM event_deliveries WHERE status = 'PENDING') AS oldest
                    """)!
            return OutboxBacklog(
                unfanned: row["unfanned"], pending: row["pending"], dead: row["dead"], oldestPendingSince: row.optionalDate("oldest"))
        }
    }

    static func event(_ row: Row) -> DomainEvent {
        DomainEvent(
            eventId: row.uuid("event_id"), type: row["type"], aggregateType: row["aggregate_type"],
            aggregateId: row["aggregate_id"], payload: row["payload"], occurredAt: row.date("occurred_at"))
    }

    static func delivery(_ row: Row) -> OutboxDelivery {
        OutboxDelivery(
            seq: row["event_seq"], event: event(row), subscriber: row["subscriber"], attempts: row["attempts"],
            status: DeliveryStatus(rawValue: row["status"])!, lastError: row["last_error"], nextAttemptAt: row.date("next_attempt_at"))
    }
}
