enum P013Refunds {
    static let migration = PostgresMigration(
        id: "013_refunds",
        sql: [
            """
            CREATE TABLE refunds (
                refund_id       UUID PRIMARY KEY,
                payment_id      UUID NOT NULL UNIQUE REFERENCES payments(payment_id),
                order_id        UUID NOT NULL REFERENCES orders(order_id),
                user_id         VARCHAR(255) NOT NULL,
                amount          BIGINT NOT NULL CHECK (amount >= 0),
                reason          VARCHAR(20) NOT NULL CHECK (reason IN ('SEATS_GONE', 'ALREADY_PAID', 'ORDER_CANCELLED')),
                status          VARCHAR(10) NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
                attempts        INTEGER NOT NULL DEFAULT 0,
                last_error      TEXT,
                next_attempt_at TIMESTAMPTZ NOT NULL,
                created_at      TIMESTAMPTZ NOT NULL,
                settled_at      TIMESTAMPTZ
            )
            """,
            "CREATE INDEX idx_refunds_due ON refunds(next_attempt_at) WHERE status = 'PENDING'",
            "CREATE INDEX idx_refunds_status ON refunds(status, created_at)",
            "CREATE INDEX idx_payments_processing ON payments(created_at) WHERE status = 'PROCESSING'",
        ])
}
