import Foundation
import HoldfastCore
import PostgresNIO

extension PostgresStore {
    /// Appends events to the outbox inside the caller's transaction, in one statement.
    static func record(_ connection: PostgresConnection, _ logger: Logger, _ events: [DomainEvent]) async throws {
        guard !events.isEmpty else { return }
        try await connection.execute(
            """
            INSERT INTO outbox_events (event_id, type, aggregate_type, aggregate_id, payload, occurred_at)
            SELECT e.id, e.type, e.aggregate_type, e.aggregate_id, e.payload::jsonb, e.occurred_at
            FROM unnest(\(events.map(\.eventId))::uuid[], \(events.map(\.type))::text[], \(events.map(\.aggregateType))::text[],
                        \(events.map(\.aggregateId))::text[], \(events.map(\.payload))::text[], \(events.map(\.occurredAt))::timestamptz[])
                 WITH ORDINALITY AS e(id, type, aggregate_type, aggregate_id, payload, occurred_at, n)
            ORDER BY e.n
            """, logger)
    }
}
