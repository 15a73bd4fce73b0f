enum M008Payments {
    static let migration = SQLiteMigration(
        id: "008_payments",
        sql: """
            CREATE TABLE payments (
                payment_id     TEXT PRIMARY KEY,
                order_id       TEXT NOT NULL REFERENCES orders(order_id),
                user_id        TEXT NOT NULL,
                amount         INTEGER NOT NULL CHECK (amount >= 0),
                token          TEXT NOT NULL,
                status         TEXT NOT NULL CHECK (status IN ('PROCESSING', 'SUCCEEDED', 'DECLINED')),
                failure_reason TEXT,
                created_at     INTEGER NOT NULL,
                settled_at     INTEGER
            );
            CREATE INDEX idx_payments_order ON payments(order_id);
            """)
}
