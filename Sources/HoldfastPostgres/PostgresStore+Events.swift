import Foundation
import HoldfastCore
import PostgresNIO

extension PostgresStore {
    /// Appends events to the outbox inside the caller's transaction, in one statement.
    static func record(_ connection: PostgresConnection, _ logger: Logger, _ events: [DomainEvent]) async throws {
        guard !events.isEmpty else { return }
        try await connection.execute("\(recording: events)", logger)
    }
}

extension PostgresQuery.StringInterpolation {
    /// The statement that appends `events` to the outbox, in their order. Written after a data-modifying `WITH`
    /// it makes one statement, and one round trip, of a change and the events that announce it.
    /// With `unless`, the name of a `WITH` query, it records nothing when that query has a row; with `ofAggregatesIn`,
    /// a query answering ids, only the events of those aggregates.
    mutating func appendInterpolation(
        recording events: [DomainEvent], unless guardQuery: String? = nil, ofAggregatesIn aggregates: String? = nil
    ) {
        precondition(guardQuery == nil || aggregates == nil, "one condition or the other")
        appendLiteral(
            """
            INSERT INTO outbox_events (event_id, type, aggregate_type, aggregate_id, payload, occurred_at)
            SELECT e.id, e.type, e.aggregate_type, e.aggregate_id, e.payload::jsonb, e.occurred_at
            FROM unnest(
            """)
        appendInterpolation(events.map(\.eventId))
        appendLiteral("::uuid[], ")
        appendInterpolation(events.map(\.type))
        appendLiteral("::text[], ")
        appendInterpolation(events.map(\.aggregateType))
        appendLiteral("::text[], ")
        appendInterpolation(events.map(\.aggregateId))
        appendLiteral("::text[], ")
        appendInterpolation(events.map(\.payload))
        appendLiteral("::text[], ")
        appendInterpolation(events.map(\.occurredAt))
        appendLiteral(
            """
            ::timestamptz[])
                 WITH ORDINALITY AS e(id, type, aggregate_type, aggregate_id, payload, occurred_at, n)
            """)
        if let guardQuery { appendLiteral(" WHERE NOT EXISTS (SELECT 1 FROM \(guardQuery))") }
        if let aggregates { appendLiteral(" WHERE e.aggregate_id::uuid IN (\(aggregates))") }
        appendLiteral(" ORDER BY e.n")
    }
}
