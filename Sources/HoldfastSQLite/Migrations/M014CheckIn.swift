enum M014CheckIn {
    static let migration = SQLiteMigration(
        id: "014_check_in",
        sql: """
            ALTER TABLE orders ADD COLUMN checked_in_at INTEGER;
            ALTER TABLE orders ADD COLUMN checked_in_by TEXT;
            ALTER TABLE orders ADD COLUMN checked_in_door TEXT;
            """)
}
