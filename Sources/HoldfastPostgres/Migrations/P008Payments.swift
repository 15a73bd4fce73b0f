enum P008Payments {
    static let migration = PostgresMigration(
        id: "008_payments",
        sql: [
            """
            CREATE TABLE payments (
                payment_id     UUID PRIMARY KEY,
                order_id       UUID NOT NULL REFERENCES orders(order_id),
                user_id        VARCHAR(255) NOT NULL,
                amount         BIGINT NOT NULL CHECK (amount >= 0),
                token          VARCHAR(255) NOT NULL,
                status         VARCHAR(12) NOT NULL CHECK (status IN ('PROCESSING', 'SUCCEEDED', 'DECLINED')),
                failure_reason TEXT,
                created_at     TIMESTAMPTZ NOT NULL,
                settled_at     TIMESTAMPTZ
            )
            """,
            "CREATE INDEX idx_payments_order ON payments(order_id)",
        ])
}
