enum P003IdempotencyKeys {
    static let migration = PostgresMigration(
        id: "003_idempotency_keys",
        sql: [
            """
            CREATE TABLE idempotency_keys (
                user_id       VARCHAR(255) NOT NULL,
                idem_key      VARCHAR(255) NOT NULL,
                fingerprint   TEXT NOT NULL,
                status_code   INTEGER,
                response_body BYTEA,
                locked_until  TIMESTAMPTZ NOT NULL,
                created_at    TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (user_id, idem_key)
            )
            """
        ])
}
