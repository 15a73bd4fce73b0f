enum M016Waitlist {
    static let migration = SQLiteMigration(
        id: "016_waitlist",
        sql: """
            CREATE TABLE waitlist_entries (
                seq              INTEGER PRIMARY KEY AUTOINCREMENT,
                entry_id         TEXT NOT NULL UNIQUE,
                show_id          TEXT NOT NULL REFERENCES shows(show_id),
                user_id          TEXT NOT NULL,
                quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 100),
                email            TEXT NOT NULL,
                status           TEXT NOT NULL CHECK (status IN ('WAITING', 'OFFERED', 'ACCEPTED', 'EXPIRED', 'LEFT')),
                hold_id          TEXT,
                offer_expires_at INTEGER,
                created_at       INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX idx_waitlist_active ON waitlist_entries(show_id, user_id) WHERE status IN ('WAITING', 'OFFERED');
            CREATE INDEX idx_waitlist_queue ON waitlist_entries(show_id, seq) WHERE status = 'WAITING';
            CREATE INDEX idx_waitlist_offers ON waitlist_entries(offer_expires_at) WHERE status = 'OFFERED';
            """)
}
