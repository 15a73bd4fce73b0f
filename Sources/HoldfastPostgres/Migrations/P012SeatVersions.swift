enum P012SeatVersions {
    /// The live seat map's source: each seat's latest state with a version from a sequence, written by a
    /// trigger in the claim's own transaction while the claim's row is locked (so one seat's versions grow
    /// in commit order), and announced with pg_notify, which every instance receives in commit order.
    static let migration = PostgresMigration(
        id: "012_seat_versions",
        sql: [
            """
            CREATE TABLE seat_versions (
                show_id    UUID NOT NULL,
                seat_id    VARCHAR(8) NOT NULL,
                version    BIGINT NOT NULL,
                state      VARCHAR(10) NOT NULL CHECK (state IN ('available', 'held', 'booked')),
                user_id    VARCHAR(255),
                expires_at TIMESTAMPTZ,
                PRIMARY KEY (show_id, seat_id)
            )
            """,
            "CREATE SEQUENCE seat_version_seq",
            """
            INSERT INTO seat_versions (show_id, seat_id, version, state, user_id, expires_at)
            SELECT show_id, seat_id, nextval('seat_version_seq'), CASE stage WHEN 'BOOKED' THEN 'booked' ELSE 'held' END, user_id, expires_at
            FROM seat_claims ORDER BY show_id, seat_id
            """,
            """
            CREATE FUNCTION seat_claims_versioned() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                next_version BIGINT := nextval('seat_version_seq');
                seat RECORD;
                next_state TEXT;
                owner TEXT;
                lapses TIMESTAMPTZ;
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    seat := OLD; next_state := 'available'; owner := NULL; lapses := NULL;
                ELSE
                    seat := NEW; owner := NEW.user_id; lapses := NEW.expires_at;
                    next_state := CASE NEW.stage WHEN 'BOOKED' THEN 'booked' ELSE 'held' END;
                END IF;
                INSERT INTO seat_versions (show_id, seat_id, version, state, user_id, expires_at)
                VALUES (seat.show_id, seat.seat_id, next_version, next_state, owner, lapses)
                ON CONFLICT (show_id, seat_id) DO UPDATE SET
                    version = EXCLUDED.version, state = EXCLUDED.state, user_id = EXCLUDED.user_id, expires_at = EXCLUDED.expires_at;
                -- Who holds a seat is nobody else's business: the announcement names the seat, its state and version only.
                PERFORM pg_notify('holdfast_seats', seat.show_id::text || ':' || seat.seat_id || ':' || next_state || ':' || next_version
                    || ':' || COALESCE((extract(epoch FROM lapses) * 1000)::bigint::text, ''));
                RETURN NULL;
            END;
            $$
            """,
            """
            CREATE TRIGGER seat_claims_versioned AFTER INSERT OR UPDATE OR DELETE ON seat_claims
            FOR EACH ROW EXECUTE FUNCTION seat_claims_versioned()
            """,
        ])
}
