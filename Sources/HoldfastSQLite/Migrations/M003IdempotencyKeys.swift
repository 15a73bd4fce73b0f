enum M003IdempotencyKeys {
    static let migration = SQLiteMigration(
        id: "003_idempotency_keys",
        sql: """
            CREATE TABLE idempotency_keys (
                user_id       TEXT NOT NULL,
                idem_key      TEXT NOT NULL,
                fingerprint   TEXT NOT NULL,
                status_code   INTEGER,
                response_body BLOB,
                locked_until  INTEGER NOT NULL,
                created_at    INTEGER NOT NULL,
                PRIMARY KEY (user_id, idem_key)
            );
            """)
}
