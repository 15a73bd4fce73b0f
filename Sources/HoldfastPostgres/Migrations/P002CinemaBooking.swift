enum P002CinemaBooking {
    /// `seat_claims` has one row per (show, seat): the primary key itself makes two live claims on a
    /// seat impossible, and a BOOKED row can only be replaced by deleting it (cancellation).
    static let migration = PostgresMigration(
        id: "002_cinema_booking",
        sql: [
            """
            CREATE TABLE holds (
                hold_id    UUID PRIMARY KEY,
                show_id    UUID NOT NULL REFERENCES shows(show_id),
                user_id    VARCHAR(255) NOT NULL,
                seat_ids   TEXT[] NOT NULL,
                quantity   INTEGER NOT NULL CHECK (quantity > 0),
                status     VARCHAR(20) NOT NULL CHECK (status IN ('HELD', 'RELEASED', 'CONVERTED', 'EXPIRED')),
                extensions INTEGER NOT NULL DEFAULT 0,
                created_at TIMESTAMPTZ NOT NULL,
                expires_at TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX idx_holds_show_user ON holds(show_id, user_id, status)",
            "CREATE INDEX idx_holds_expiry ON holds(status, expires_at)",
            """
            CREATE TABLE orders (
                order_id       UUID PRIMARY KEY,
                user_id        VARCHAR(255) NOT NULL,
                show_id        UUID NOT NULL REFERENCES shows(show_id),
                hold_id        UUID NOT NULL UNIQUE REFERENCES holds(hold_id),
                seat_ids       TEXT[] NOT NULL,
                customer_name  VARCHAR(255) NOT NULL,
                customer_email VARCHAR(255) NOT NULL,
                customer_phone VARCHAR(20) NOT NULL,
                amount         BIGINT NOT NULL CHECK (amount >= 0),
                status         VARCHAR(20) NOT NULL CHECK (status IN ('PAYMENT_PENDING', 'CONFIRMED', 'EXPIRED', 'CANCELLED')),
                ticket_code    VARCHAR(50) UNIQUE,
                created_at     TIMESTAMPTZ NOT NULL,
                confirmed_at   TIMESTAMPTZ,
                cancelled_at   TIMESTAMPTZ,
                expires_at     TIMESTAMPTZ NOT NULL,
                CHECK (status <> 'CONFIRMED' OR ticket_code IS NOT NULL)
            )
            """,
            "CREATE INDEX idx_orders_user ON orders(user_id, created_at DESC)",
            "CREATE INDEX idx_orders_show_status ON orders(show_id, status)",
            "CREATE INDEX idx_orders_expiry ON orders(status, expires_at)",
            """
            CREATE TABLE seat_claims (
                show_id    UUID NOT NULL REFERENCES shows(show_id),
                seat_id    VARCHAR(8) NOT NULL,
                user_id    VARCHAR(255) NOT NULL,
                stage      VARCHAR(10) NOT NULL CHECK (stage IN ('HELD', 'PENDING', 'BOOKED')),
                hold_id    UUID NOT NULL,
                order_id   UUID REFERENCES orders(order_id) DEFERRABLE INITIALLY DEFERRED,
                expires_at TIMESTAMPTZ,
                PRIMARY KEY (show_id, seat_id),
                CHECK ((stage = 'BOOKED' AND order_id IS NOT NULL AND expires_at IS NULL)
                    OR (stage = 'PENDING' AND order_id IS NOT NULL AND expires_at IS NOT NULL)
                    OR (stage = 'HELD' AND expires_at IS NOT NULL))
            )
            """,
            "CREATE INDEX idx_seat_claims_hold ON seat_claims(hold_id)",
            "CREATE INDEX idx_seat_claims_order ON seat_claims(order_id)",
        ])
}
