enum M012SeatVersions {
    /// The live seat map's source: each seat's latest state with a version that grows with every change to
    /// that seat, written by triggers in the same transaction as the claim itself (whatever code path made
    /// it). One writer at a time, so versions are committed in order.
    static let migration = SQLiteMigration(
        id: "012_seat_versions",
        sql: """
            CREATE TABLE seat_versions (
                show_id    TEXT NOT NULL,
                seat_id    TEXT NOT NULL,
                version    INTEGER NOT NULL,
                state      TEXT NOT NULL CHECK (state IN ('available', 'held', 'booked')),
                user_id    TEXT,
                expires_at INTEGER,
                PRIMARY KEY (show_id, seat_id)
            ) WITHOUT ROWID;
            CREATE INDEX idx_seat_versions_version ON seat_versions(version);
            CREATE TABLE seat_version_counter (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
            INSERT INTO seat_version_counter (id, value) SELECT 1, COUNT(*) FROM seat_claims;
            INSERT INTO seat_versions (show_id, seat_id, version, state, user_id, expires_at)
            SELECT show_id, seat_id, ROW_NUMBER() OVER (ORDER BY show_id, seat_id),
                   CASE stage WHEN 'BOOKED' THEN 'booked' ELSE 'held' END, user_id, expires_at
            FROM seat_claims;
            CREATE TRIGGER seat_claims_version_insert AFTER INSERT ON seat_claims
            BEGIN
                UPDATE seat_version_counter SET value = value + 1 WHERE id = 1;
                INSERT INTO seat_versions (show_id, seat_id, version, state, user_id, expires_at)
                VALUES (NEW.show_id, NEW.seat_id, (SELECT value FROM seat_version_counter WHERE id = 1),
                        CASE NEW.stage WHEN 'BOOKED' THEN 'booked' ELSE 'held' END, NEW.user_id, NEW.expires_at)
                ON CONFLICT (show_id, seat_id) DO UPDATE SET
                    version = excluded.version, state = excluded.state, user_id = excluded.user_id, expires_at = excluded.expires_at;
            END;
            CREATE TRIGGER seat_claims_version_update AFTER UPDATE ON seat_claims
            BEGIN
                UPDATE seat_version_counter SET value = value + 1 WHERE id = 1;
                INSERT INTO seat_versions (show_id, seat_id, version, state, user_id, expires_at)
                VALUES (NEW.show_id, NEW.seat_id, (SELECT value FROM seat_version_counter WHERE id = 1),
                        CASE NEW.stage WHEN 'BOOKED' THEN 'booked' ELSE 'held' END, NEW.user_id, NEW.expires_at)
                ON CONFLICT (show_id, seat_id) DO UPDATE SET
                    version = excluded.version, state = excluded.state, user_id = excluded.user_id, expires_at = excluded.expires_at;
            END;
            CREATE TRIGGER seat_claims_version_delete AFTER DELETE ON seat_claims
            BEGIN
                UPDATE seat_version_counter SET value = value + 1 WHERE id = 1;
                INSERT INTO seat_versions (show_id, seat_id, version, state, user_id, expires_at)
                VALUES (OLD.show_id, OLD.seat_id, (SELECT value FROM seat_version_counter WHERE id = 1), 'available', NULL, NULL)
                ON CONFLICT (show_id, seat_id) DO UPDATE SET
                    version = excluded.version, state = excluded.state, user_id = NULL, expires_at = NULL;
            END;
            """)
}
