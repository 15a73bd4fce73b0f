enum P007Tickets {
    /// Seed 003's ticket items (flat attributes as a JSON object) and the price-change metadata of shows.
    static let migration = PostgresMigration(
        id: "007_tickets",
        sql: [
            """
            CREATE TABLE tickets (
                theatre_seat VARCHAR(64) PRIMARY KEY,
                attributes   JSONB NOT NULL,
                created_at   TIMESTAMPTZ NOT NULL,
                updated_at   TIMESTAMPTZ NOT NULL
            )
            """,
            "ALTER TABLE shows ADD COLUMN price_change JSONB",
        ])
}
