enum P004BookedSeatGuard {
    /// A booked seat stays with its order until the row is deleted (cancellation): no update may move
    /// it to another order or back to a lesser stage, whatever the application asks.
    static let migration = PostgresMigration(
        id: "004_booked_seat_guard",
        sql: [
            """
            CREATE FUNCTION seat_claims_booked_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'a booked seat cannot be reassigned' USING ERRCODE = 'integrity_constraint_violation';
            END;
            $$
            """,
            """
            CREATE TRIGGER seat_claims_booked_is_final BEFORE UPDATE ON seat_claims
            FOR EACH ROW WHEN (OLD.stage = 'BOOKED') EXECUTE FUNCTION seat_claims_booked_is_final()
            """,
        ])
}
