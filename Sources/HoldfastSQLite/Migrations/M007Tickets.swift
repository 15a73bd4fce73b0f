enum M007Tickets {
    /// Seed 003's ticket items (flat attributes as a JSON object) and the price-change metadata of shows.
    static let migration = SQLiteMigration(
        id: "007_tickets",
        sql: """
            CREATE TABLE tickets (
                theatre_seat TEXT PRIMARY KEY,
                attributes   TEXT NOT NULL,
                created_at   INTEGER NOT NULL,
                updated_at   INTEGER NOT NULL
            );
            ALTER TABLE shows ADD COLUMN price_change TEXT;
            """)
}
