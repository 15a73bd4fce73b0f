enum M006Outbox {
    /// The transactional outbox: events are written with the change that caused them; the dispatcher
    /// fans each out to one delivery row per subscriber and works those off with retries and leases.
    static let migration = SQLiteMigration(
        id: "006_outbox",
        sql: """
            CREATE TABLE outbox_events (
                seq            INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id       TEXT NOT NULL UNIQUE,
                type           TEXT NOT NULL,
                aggregate_type TEXT NOT NULL,
                aggregate_id   TEXT NOT NULL,
                payload        TEXT NOT NULL,
                occurred_at    INTEGER NOT NULL,
                fanned_out     INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX idx_outbox_unfanned ON outbox_events(seq) WHERE fanned_out = 0;
            CREATE INDEX idx_outbox_aggregate ON outbox_events(aggregate_type, aggregate_id, seq);
            CREATE TABLE event_deliveries (
                event_seq       INTEGER NOT NULL REFERENCES outbox_events(seq),
                subscriber      TEXT NOT NULL,
                aggregate_key   TEXT NOT NULL,
                status          TEXT NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
                attempts        INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                locked_until    INTEGER,
                locked_by       TEXT,
                last_error      TEXT,
                delivered_at    INTEGER,
                created_at      INTEGER NOT NULL,
                PRIMARY KEY (event_seq, subscriber)
            );
            CREATE INDEX idx_deliveries_due ON event_deliveries(next_attempt_at) WHERE status = 'PENDING';
            CREATE INDEX idx_deliveries_order ON event_deliveries(subscriber, aggregate_key, event_seq) WHERE status = 'PENDING';
            CREATE INDEX idx_deliveries_dead ON event_deliveries(event_seq) WHERE status = 'DEAD';
            CREATE TABLE webhook_subscriptions (
                subscription_id TEXT PRIMARY KEY,
                url             TEXT NOT NULL,
                event_types     TEXT NOT NULL,
                secret          TEXT NOT NULL,
                active          INTEGER NOT NULL DEFAULT 1,
                created_at      INTEGER NOT NULL
            );
            CREATE TABLE dev_mailbox (
                message_id TEXT PRIMARY KEY,
                event_id   TEXT NOT NULL UNIQUE,
                recipient  TEXT NOT NULL,
                subject    TEXT NOT NULL,
                body       TEXT NOT NULL,
                sent_at    INTEGER NOT NULL
            );
            """)
}
