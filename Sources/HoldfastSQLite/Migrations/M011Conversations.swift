enum M011Conversations {
    /// Seed 004: a conversation per booking code, its participants, its messages numbered 1, 2, 3… (the
    /// counter lives on the conversation row, so numbers are taken and committed in order), and calls, at
    /// most one ringing or connected per booking.
    static let migration = SQLiteMigration(
        id: "011_conversations",
        sql: """
            CREATE TABLE conversations (
                booking_code TEXT PRIMARY KEY,
                kind         TEXT NOT NULL CHECK (kind IN ('CINEMA_ORDER', 'HOTEL_BOOKING', 'EXTERNAL')),
                last_seq     INTEGER NOT NULL DEFAULT 0,
                created_at   INTEGER NOT NULL
            );
            CREATE TABLE conversation_participants (
                booking_code TEXT NOT NULL REFERENCES conversations(booking_code),
                user_id      TEXT NOT NULL,
                role         TEXT NOT NULL,
                PRIMARY KEY (booking_code, user_id)
            );
            CREATE TABLE messages (
                booking_code TEXT NOT NULL REFERENCES conversations(booking_code),
                seq          INTEGER NOT NULL,
                message_id   TEXT NOT NULL UNIQUE,
                sender_id    TEXT NOT NULL,
                sender_role  TEXT NOT NULL,
                type         TEXT NOT NULL CHECK (type IN ('text', 'call', 'system')),
                text         TEXT NOT NULL,
                call_id      TEXT,
                created_at   INTEGER NOT NULL,
                PRIMARY KEY (booking_code, seq)
            ) WITHOUT ROWID;
            CREATE INDEX idx_messages_type ON messages(booking_code, type, seq);
            CREATE TABLE calls (
                call_id          TEXT PRIMARY KEY,
                booking_code     TEXT NOT NULL REFERENCES conversations(booking_code),
                caller_id        TEXT NOT NULL,
                callee_id        TEXT NOT NULL,
                state            TEXT NOT NULL CHECK (state IN ('RINGING', 'CONNECTED', 'ENDED', 'REJECTED', 'MISSED')),
                created_at       INTEGER NOT NULL,
                answered_at      INTEGER,
                ended_at         INTEGER,
                duration_seconds INTEGER,
                version          INTEGER NOT NULL DEFAULT 0
            );
            CREATE UNIQUE INDEX idx_calls_live ON calls(booking_code) WHERE state IN ('RINGING', 'CONNECTED');
            CREATE INDEX idx_calls_ringing ON calls(created_at) WHERE state = 'RINGING';
            """)
}
