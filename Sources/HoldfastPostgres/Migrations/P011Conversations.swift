enum P011Conversations {
    /// Seed 004: a conversation per booking code, its participants, its messages numbered 1, 2, 3… (the
    /// counter lives on the conversation row, so numbers are taken and committed in order), and calls, at
    /// most one ringing or connected per booking.
    static let migration = PostgresMigration(
        id: "011_conversations",
        sql: [
            """
            CREATE TABLE conversations (
                booking_code VARCHAR(64) PRIMARY KEY,
                kind         VARCHAR(16) NOT NULL CHECK (kind IN ('CINEMA_ORDER', 'HOTEL_BOOKING', 'EXTERNAL')),
                last_seq     BIGINT NOT NULL DEFAULT 0,
                created_at   TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE TABLE conversation_participants (
                booking_code VARCHAR(64) NOT NULL REFERENCES conversations(booking_code),
                user_id      VARCHAR(255) NOT NULL,
                role         VARCHAR(20) NOT NULL,
                PRIMARY KEY (booking_code, user_id)
            )
            """,
            """
            CREATE TABLE messages (
                booking_code VARCHAR(64) NOT NULL REFERENCES conversations(booking_code),
                seq          BIGINT NOT NULL,
                message_id   UUID NOT NULL UNIQUE,
                sender_id    VARCHAR(255) NOT NULL,
                sender_role  VARCHAR(20) NOT NULL,
                type         VARCHAR(8) NOT NULL CHECK (type IN ('text', 'call', 'system')),
                text         TEXT NOT NULL,
                call_id      UUID,
                created_at   TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (booking_code, seq)
            )
            """,
            "CREATE INDEX idx_messages_type ON messages(booking_code, type, seq)",
            """
            CREATE TABLE calls (
                call_id          UUID PRIMARY KEY,
                booking_code     VARCHAR(64) NOT NULL REFERENCES conversations(booking_code),
                caller_id        VARCHAR(255) NOT NULL,
                callee_id        VARCHAR(255) NOT NULL,
                state            VARCHAR(10) NOT NULL CHECK (state IN ('RINGING', 'CONNECTED', 'ENDED', 'REJECTED', 'MISSED')),
                created_at       TIMESTAMPTZ NOT NULL,
                answered_at      TIMESTAMPTZ,
                ended_at         TIMESTAMPTZ,
                duration_seconds INTEGER,
                version          INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE UNIQUE INDEX idx_calls_live ON calls(booking_code) WHERE state IN ('RINGING', 'CONNECTED')",
            "CREATE INDEX idx_calls_ringing ON calls(created_at) WHERE state = 'RINGING'",
        ])
}
