enum P014CheckIn {
    static let migration = PostgresMigration(
        id: "014_check_in",
        sql: [
            "ALTER TABLE orders ADD COLUMN checked_in_at TIMESTAMPTZ",
            "ALTER TABLE orders ADD COLUMN checked_in_by VARCHAR(255)",
            "ALTER TABLE orders ADD COLUMN checked_in_door VARCHAR(40)",
        ])
}
