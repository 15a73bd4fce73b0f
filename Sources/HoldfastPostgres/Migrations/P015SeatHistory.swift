enum P015SeatHistory {
    /// Every change of every seat — from which stage to which, whose claim, when (the database's clock) —
    /// written by a trigger in the claim's own transaction, whatever code path made the change.
    static let migration = PostgresMigration(
        id: "015_seat_history",
        sql: [
            """
            CREATE TABLE seat_history (
                seq              BIGSERIAL PRIMARY KEY,
                show_id          UUID NOT NULL,
                seat_id          VARCHAR(8) NOT NULL,
                from_state       VARCHAR(10) NOT NULL,
                to_state         VARCHAR(10) NOT NULL,
                user_id          VARCHAR(255),
                previous_user_id VARCHAR(255),
                hold_id          UUID,
                order_id         UUID,
                at               TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
            )
            """,
            "CREATE INDEX idx_seat_history_seat ON seat_history(show_id, seat_id, seq)",
            """
            CREATE FUNCTION seat_claims_history() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO seat_history (show_id, seat_id, from_state, to_state, user_id, previous_user_id, hold_id, order_id)
                    VALUES (NEW.show_id, NEW.seat_id, 'AVAILABLE', NEW.stage, NEW.user_id, NULL, NEW.hold_id, NEW.order_id);
                ELSIF TG_OP = 'DELETE' THEN
                    INSERT INTO seat_history (show_id, seat_id, from_state, to_state, user_id, previous_user_id, hold_id, order_id)
                    VALUES (OLD.show_id, OLD.seat_id, OLD.stage, 'AVAILABLE', NULL, OLD.user_id, OLD.hold_id, OLD.order_id);
                ELSIF OLD.stage IS DISTINCT FROM NEW.stage OR OLD.user_id IS DISTINCT FROM NEW.user_id
                      OR OLD.hold_id IS DISTINCT FROM NEW.hold_id OR OLD.order_id IS DISTINCT FROM NEW.order_id THEN
                    INSERT INTO seat_history (show_id, seat_id, from_state, to_state, user_id, previous_user_id, hold_id, order_id)
                    VALUES (NEW.show_id, NEW.seat_id, OLD.stage, NEW.stage, NEW.user_id, OLD.user_id, NEW.hold_id, NEW.order_id);
                END IF;
                RETURN NULL;
            END;
            $$
            """,
            """
            CREATE TRIGGER seat_claims_history AFTER INSERT OR UPDATE OR DELETE ON seat_claims
            FOR EACH ROW EXECUTE FUNCTION seat_claims_history()
            """,
        ])
}
