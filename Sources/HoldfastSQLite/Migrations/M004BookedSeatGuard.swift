enum M004BookedSeatGuard {
    /// A booked seat stays with its order until the row is deleted (cancellation): no update may move
    /// it to another order or back to a lesser stage, whatever the application asks.
    static let migration = SQLiteMigration(
        id: "004_booked_seat_guard",
        sql: """
            CREATE TRIGGER seat_claims_booked_is_final
            BEFORE UPDATE ON seat_claims
            WHEN OLD.stage = 'BOOKED'
            BEGIN
                SELECT RAISE(ABORT, 'a booked seat cannot be reassigned');
            END;
            """)
}
