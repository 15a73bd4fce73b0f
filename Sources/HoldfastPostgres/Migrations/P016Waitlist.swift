enum P016Waitlist {
    static let migration = PostgresMigration(
        id: "016_waitlist",
        sql: [
            """
            CREATE TABLE waitlist_entries (
                seq              BIGSERIAL PRIMARY KEY,
                entry_id         UUID NOT NULL UNIQUE,
                show_id          UUID NOT NULL REFERENCES shows(show_id),
                user_id          VARCHAR(255) NOT NULL,
                quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100),
                email            VARCHAR(320) NOT NULL,
                status           VARCHAR(10) NOT NULL CHECK (status IN ('WAITING', 'OFFERED', 'ACCEPTED', 'EXPIRED', 'LEFT')),
                hold_id          UUID,
                offer_expires_at TIMESTAMPTZ,
                created_at       TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX idx_waitlist_active ON waitlist_entries(show_id, user_id) WHERE status IN ('WAITING', 'OFFERED')",
            "CREATE INDEX idx_waitlist_queue ON waitlist_entries(show_id, seq) WHERE status = 'WAITING'",
            "CREATE INDEX idx_waitlist_offers ON waitlist_entries(offer_expires_at) WHERE status = 'OFFERED'",
        ])
}
