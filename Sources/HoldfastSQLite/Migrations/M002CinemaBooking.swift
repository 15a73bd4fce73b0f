enum M002CinemaBooking {
    /// `seat_claims` has one row per (show, seat): the primary key itself makes two live claims on a
    /// seat impossible, and a BOOKED row can only be replaced by deleting it (cancellation).
    static let migration = SQLiteMigration(
        id: "002_cinema_booking",
        sql: """
            CREATE TABLE holds (
                hold_id    TEXT PRIMARY KEY,
                show_id    TEXT NOT NULL REFERENCES shows(show_id),
                user_id    TEXT NOT NULL,
                seat_ids   TEXT NOT NULL,
                quantity   INTEGER NOT NULL CHECK (quantity > 0),
                status     TEXT NOT NULL CHECK (status IN ('HELD', 'RELEASED', 'CONVERTED', 'EXPIRED')),
                extensions INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX idx_holds_show_user ON holds(show_id, user_id, status);
            CREATE INDEX idx_holds_expiry ON holds(status, expires_at);
            CREATE TABLE orders (
                order_id       TEXT PRIMARY KEY,
                user_id        TEXT NOT NULL,
                show_id        TEXT NOT NULL REFERENCES shows(show_id),
                hold_id        TEXT NOT NULL UNIQUE REFERENCES holds(hold_id),
                seat_ids       TEXT NOT NULL,
                customer_name  TEXT NOT NULL,
                customer_email TEXT NOT NULL,
                customer_phone TEXT NOT NULL,
                amount         INTEGER NOT NULL CHECK (amount >= 0),
                status         TEXT NOT NULL CHECK (status IN ('PAYMENT_PENDING', 'CONFIRMED', 'EXPIRED', 'CANCELLED')),
                ticket_code    TEXT UNIQUE,
                created_at     INTEGER NOT NULL,
                confirmed_at   INTEGER,
                cancelled_at   INTEGER,
                expires_at     INTEGER NOT NULL,
                CHECK (status <> 'CONFIRMED' OR ticket_code IS NOT NULL)
            );
            CREATE INDEX idx_orders_user ON orders(user_id, created_at DESC);
            CREATE INDEX idx_orders_show_status ON orders(show_id, status);
            CREATE INDEX idx_orders_expiry ON orders(status, expires_at);
            CREATE TABLE seat_claims (
                show_id    TEXT NOT NULL REFERENCES shows(show_id),
                seat_id    TEXT NOT NULL,
                user_id    TEXT NOT NULL,
                stage      TEXT NOT NULL CHECK (stage IN ('HELD', 'PENDING', 'BOOKED')),
                hold_id    TEXT NOT NULL,
                order_id   TEXT,
                expires_at INTEGER,
                PRIMARY KEY (show_id, seat_id),
                CHECK ((stage = 'BOOKED' AND order_id IS NOT NULL AND expires_at IS NULL)
                    OR (stage = 'PENDING' AND order_id IS NOT NULL AND expires_at IS NOT NULL)
                    OR (stage = 'HELD' AND expires_at IS NOT NULL))
            ) WITHOUT ROWID;
            CREATE INDEX idx_seat_claims_hold ON seat_claims(hold_id);
            CREATE INDEX idx_seat_claims_order ON seat_claims(order_id);
            """)
}
