enum P009Hotels {
    /// Seed 002: per-night inventory rows with a version for optimistic locking. A booking can never
    /// push `sold` past `total` (trigger); a lowered `total` may leave nights overbooked for the checker.
    static let migration = PostgresMigration(
        id: "009_hotels",
        sql: [
            """
            CREATE TABLE hotels (
                hotel_id   UUID PRIMARY KEY,
                name       VARCHAR(255) NOT NULL,
                city       VARCHAR(100) NOT NULL,
                city_key   VARCHAR(100) NOT NULL,
                address    TEXT,
                geo_lat    DOUBLE PRECISION NOT NULL,
                geo_lng    DOUBLE PRECISION NOT NULL,
                created_at TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX idx_hotels_city ON hotels(city_key)",
            """
            CREATE TABLE room_types (
                room_type_id UUID PRIMARY KEY,
                hotel_id     UUID NOT NULL REFERENCES hotels(hotel_id),
                name         VARCHAR(100) NOT NULL,
                occupancy    INTEGER NOT NULL CHECK (occupancy > 0),
                rate         BIGINT NOT NULL CHECK (rate >= 0),
                created_at   TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX idx_room_types_hotel ON room_types(hotel_id)",
            """
            CREATE TABLE hotel_inventory (
                room_type_id UUID NOT NULL REFERENCES room_types(room_type_id),
                night        DATE NOT NULL,
                total        INTEGER NOT NULL CHECK (total >= 0),
                sold         INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
                rate         BIGINT NOT NULL CHECK (rate >= 0),
                version      INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (room_type_id, night)
            )
            """,
            """
            CREATE FUNCTION hotel_inventory_no_oversell() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'sold would exceed total' USING ERRCODE = 'check_violation';
            END;
            $$
            """,
            """
            CREATE TRIGGER hotel_inventory_no_oversell BEFORE UPDATE OF sold ON hotel_inventory
            FOR EACH ROW WHEN (NEW.sold > OLD.sold AND NEW.sold > NEW.total) EXECUTE FUNCTION hotel_inventory_no_oversell()
            """,
            """
            CREATE TABLE hotel_bookings (
                booking_id   UUID PRIMARY KEY,
                user_id      VARCHAR(255) NOT NULL,
                hotel_id     UUID NOT NULL REFERENCES hotels(hotel_id),
                room_type_id UUID NOT NULL REFERENCES room_types(room_type_id),
                check_in     DATE NOT NULL,
                check_out    DATE NOT NULL,
                rooms        INTEGER NOT NULL CHECK (rooms > 0),
                guests       INTEGER NOT NULL CHECK (guests > 0),
                amount       BIGINT NOT NULL CHECK (amount >= 0),
                status       VARCHAR(12) NOT NULL CHECK (status IN ('CONFIRMED', 'CANCELLED')),
                created_at   TIMESTAMPTZ NOT NULL,
                cancelled_at TIMESTAMPTZ,
                CHECK (check_out > check_in)
            )
            """,
            "CREATE INDEX idx_hotel_bookings_user ON hotel_bookings(user_id, created_at DESC)",
            "CREATE INDEX idx_hotel_bookings_room_type ON hotel_bookings(room_type_id, status)",
        ])
}
