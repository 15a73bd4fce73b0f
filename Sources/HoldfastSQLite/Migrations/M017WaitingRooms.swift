enum M017WaitingRooms {
    static let migration = SQLiteMigration(
        id: "017_waiting_rooms",
        sql: """
            CREATE TABLE waiting_rooms (
                show_id               TEXT PRIMARY KEY REFERENCES shows(show_id),
                admissions_per_minute INTEGER NOT NULL CHECK (admissions_per_minute > 0),
                token_minutes         INTEGER NOT NULL CHECK (token_minutes > 0),
                next_slot_at          INTEGER NOT NULL
            );
            CREATE TABLE queue_tickets (
                show_id   TEXT NOT NULL,
                user_id   TEXT NOT NULL,
                joined_at INTEGER NOT NULL,
                admit_at  INTEGER NOT NULL,
                PRIMARY KEY (show_id, user_id)
            );
            """)
}
