import Foundation
import GRDB
import HoldfastCore

extension SQLiteStore {
    /// Appends events to the outbox inside the caller's transaction.
    static func record(_ db: Database, _ events: [DomainEvent]) throws {
        for event in events {
            try db.execute(
                cached: """
                    INSERT INTO outbox_events (event_id, type, aggregate_type, aggregate_id, payload, occurred_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.eventId.uuidString, event.type, event.aggregateType, event.aggregateId, event.payload,
                    SQLiteColumns.millis(event.occurredAt),
                ])
        }
    }
}
