enum P017WaitingRooms {
    static let migration = PostgresMigration(
        id: "017_waiting_rooms",
        sql: [
            """
            CREATE TABLE waiting_rooms (
                show_id               UUID PRIMARY KEY REFERENCES shows(show_id),
                admissions_per_minute INTEGER NOT NULL CHECK (admissions_per_minute > 0),
                token_minutes         INTEGER NOT NULL CHECK (token_minutes > 0),
                next_slot_at          TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE TABLE queue_tickets (
                show_id   UUID NOT NULL,
                user_id   VARCHAR(255) NOT NULL,
                joined_at TIMESTAMPTZ NOT NULL,
                admit_at  TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (show_id, user_id)
            )
            """,
        ])
}
