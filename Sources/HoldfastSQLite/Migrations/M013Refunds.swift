enum M013Refunds {
    static let migration = SQLiteMigration(
        id: "013_refunds",
        sql: """
            CREATE TABLE refunds (
                refund_id       TEXT PRIMARY KEY,
                payment_id      TEXT NOT NULL UNIQUE REFERENCES payments(payment_id),
                order_id        TEXT NOT NULL REFERENCES orders(order_id),
                user_id         TEXT NOT NULL,
                amount          INTEGER NOT NULL CHECK (amount >= 0),
                reason          TEXT NOT NULL CHECK (reason IN ('SEATS_GONE', 'ALREADY_PAID', 'ORDER_CANCELLED')),
                status          TEXT NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
                attempts        INTEGER NOT NULL DEFAULT 0,
                last_error      TEXT,
                next_attempt_at INTEGER NOT NULL,
                created_at      INTEGER NOT NULL,
                settled_at      INTEGER
            );
            CREATE INDEX idx_refunds_due ON refunds(next_attempt_at) WHERE status = 'PENDING';
            CREATE INDEX idx_refunds_status ON refunds(status, created_at);
            CREATE INDEX idx_payments_processing ON payments(created_at) WHERE status = 'PROCESSING';
            """)
}
