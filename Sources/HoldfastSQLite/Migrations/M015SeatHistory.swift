enum M015SeatHistory {
    /// Every change of every seat — from which stage to which, whose claim, when (the database's clock) —
    /// written by triggers in the claim's own transaction, whatever code path made the change.
    static let migration = SQLiteMigration(
        id: "015_seat_history",
        sql: """
            CREATE TABLE seat_history (
                seq              INTEGER PRIMARY KEY AUTOINCREMENT,
                show_id          TEXT NOT NULL,
                seat_id          TEXT NOT NULL,
                from_state       TEXT NOT NULL,
                to_state         TEXT NOT NULL,
                user_id          TEXT,
                previous_user_id TEXT,
                hold_id          TEXT,
                order_id         TEXT,
                at               INTEGER NOT NULL
            );
            CREATE INDEX idx_seat_history_seat ON seat_history(show_id, seat_id, seq);
            CREATE TRIGGER seat_claims_history_insert AFTER INSERT ON seat_claims
            BEGIN
                INSERT INTO seat_history (show_id, seat_id, from_state, to_state, user_id, previous_user_id, hold_id, order_id, at)
                VALUES (NEW.show_id, NEW.seat_id, 'AVAILABLE', NEW.stage, NEW.user_id, NULL, NEW.hold_id, NEW.order_id,
                        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
            END;
            CREATE TRIGGER seat_claims_history_update AFTER UPDATE ON seat_claims
            WHEN OLD.stage IS NOT NEW.stage OR OLD.user_id IS NOT NEW.user_id OR OLD.hold_id IS NOT NEW.hold_id
                 OR OLD.order_id IS NOT NEW.order_id
            BEGIN
                INSERT INTO seat_history (show_id, seat_id, from_state, to_state, user_id, previous_user_id, hold_id, order_id, at)
                VALUES (NEW.show_id, NEW.seat_id, OLD.stage, NEW.stage, NEW.user_id, OLD.user_id, NEW.hold_id, NEW.order_id,
                        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
            END;
            CREATE TRIGGER seat_claims_history_delete AFTER DELETE ON seat_claims
            BEGIN
                INSERT INTO seat_history (show_id, seat_id, from_state, to_state, user_id, previous_user_id, hold_id, order_id, at)
                VALUES (OLD.show_id, OLD.seat_id, OLD.stage, 'AVAILABLE', NULL, OLD.user_id, OLD.hold_id, OLD.order_id,
                        CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
            END;
            """)
}
