enum P006Outbox {
    /// The transactional outbox: events are written with the change that caused them; the dispatcher
    /// fans each out to one delivery row per subscriber and works those off with retries and leases.
    static let migration = PostgresMigration(
        id: "006_outbox",
        sql: [
            """
            CREATE TABLE outbox_events (
                seq            BIGSERIAL PRIMARY KEY,
                event_id       UUID NOT NULL UNIQUE,
                type           VARCHAR(64) NOT NULL,
                aggregate_type VARCHAR(32) NOT NULL,
                aggregate_id   TEXT NOT NULL,
                payload        JSONB NOT NULL,
                occurred_at    TIMESTAMPTZ NOT NULL,
                fanned_out     BOOLEAN NOT NULL DEFAULT FALSE
            )
            """,
            "CREATE INDEX idx_outbox_unfanned ON outbox_events(seq) WHERE NOT fanned_out",
            "CREATE INDEX idx_outbox_aggregate ON outbox_events(aggregate_type, aggregate_id, seq)",
            """
            CREATE TABLE event_deliveries (
                event_seq       BIGINT NOT NULL REFERENCES outbox_events(seq),
                subscriber      TEXT NOT NULL,
                aggregate_key   TEXT NOT NULL,
                status          VARCHAR(10) NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
                attempts        INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TIMESTAMPTZ NOT NULL,
                locked_until    TIMESTAMPTZ,
                locked_by       TEXT,
                last_error      TEXT,
                delivered_at    TIMESTAMPTZ,
                created_at      TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (event_seq, subscriber)
            )
            """,
            "CREATE INDEX idx_deliveries_due ON event_deliveries(next_attempt_at) WHERE status = 'PENDING'",
            "CREATE INDEX idx_deliveries_order ON event_deliveries(subscriber, aggregate_key, event_seq) WHERE status = 'PENDING'",
            "CREATE INDEX idx_deliveries_dead ON event_deliveries(event_seq) WHERE status = 'DEAD'",
            """
            CREATE TABLE webhook_subscriptions (
                subscription_id UUID PRIMARY KEY,
                url             TEXT NOT NULL,
                event_types     TEXT[] NOT NULL,
                secret          TEXT NOT NULL,
                active          BOOLEAN NOT NULL DEFAULT TRUE,
                created_at      TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE TABLE dev_mailbox (
                message_id UUID PRIMARY KEY,
                event_id   UUID NOT NULL UNIQUE,
                recipient  TEXT NOT NULL,
                subject    TEXT NOT NULL,
                body       TEXT NOT NULL,
                sent_at    TIMESTAMPTZ NOT NULL
            )
            """,
        ])
}
