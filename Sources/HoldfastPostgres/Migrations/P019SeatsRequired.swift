enum P019SeatsRequired {
    /// Lets one statement take all of a claim's seats or none: called with the seats wanted and the seats its
    /// claim took, it raises `HFS01` naming the missing ones (comma-separated, in the detail), which aborts the
    /// statement with everything it wrote. A claim that needs no BEGIN and COMMIT around it is one round trip.
    /// PostgreSQL only: SQLite's claims run inside its one writer's transaction.
    static let migration = PostgresMigration(
        id: "019_seats_required",
        sql: [
            """
            CREATE FUNCTION holdfast_require_seats(wanted text[], claimed text[]) RETURNS boolean LANGUAGE plpgsql AS $$
            DECLARE
                missing text[] := ARRAY(SELECT seat FROM unnest(wanted) AS seat WHERE seat <> ALL (claimed));
            BEGIN
                IF cardinality(missing) > 0 THEN
                    RAISE EXCEPTION 'seats unavailable' USING ERRCODE = 'HFS01', DETAIL = array_to_string(missing, ',');
                END IF;
                RETURN true;
            END;
            $$
            """
        ])
}
