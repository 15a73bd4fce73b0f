enum M009Hotels {
    /// Seed 002: per-night inventory rows with a version for optimistic locking. A booking can never
    /// push `sold` past `total` (trigger); a lowered `total` may leave nights overbooked for the checker.
    static let migration = SQLiteMigration(
        id: "009_hotels",
        sql: """
            CREATE TABLE hotels (
                hotel_id   TEXT PRIMARY KEY,
                name       TEXT NOT NULL,
                city       TEXT NOT NULL,
                city_key   TEXT NOT NULL,
                address    TEXT,
                geo_lat    REAL NOT NULL,
                geo_lng    REAL NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX idx_hotels_city ON hotels(city_key);
            CREATE TABLE room_types (
                room_type_id TEXT PRIMARY KEY,
                hotel_id     TEXT NOT NULL REFERENCES hotels(hotel_id),
                name         TEXT NOT NULL,
                occupancy    INTEGER NOT NULL CHECK (occupancy > 0),
                rate         INTEGER NOT NULL CHECK (rate >= 0),
                created_at   INTEGER NOT NULL
            );
            CREATE INDEX idx_room_types_hotel ON room_types(hotel_id);
            CREATE TABLE hotel_inventory (
                room_type_id TEXT NOT NULL REFERENCES room_types(room_type_id),
                night        TEXT NOT NULL,
                total        INTEGER NOT NULL CHECK (total >= 0),
                sold         INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
                rate         INTEGER NOT NULL CHECK (rate >= 0),
                version      INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (room_type_id, night)
            ) WITHOUT ROWID;
            CREATE TRIGGER hotel_inventory_no_oversell
            BEFORE UPDATE OF sold ON hotel_inventory
            WHEN NEW.sold > OLD.sold AND NEW.sold > NEW.total
            BEGIN
                SELECT RAISE(ABORT, 'sold would exceed total');
            END;
            CREATE TABLE hotel_bookings (
                booking_id   TEXT PRIMARY KEY,
                user_id      TEXT NOT NULL,
                hotel_id     TEXT NOT NULL REFERENCES hotels(hotel_id),
                room_type_id TEXT NOT NULL REFERENCES room_types(room_type_id),
                check_in     TEXT NOT NULL,
                check_out    TEXT NOT NULL,
                rooms        INTEGER NOT NULL CHECK (rooms > 0),
                guests       INTEGER NOT NULL CHECK (guests > 0),
                amount       INTEGER NOT NULL CHECK (amount >= 0),
                status       TEXT NOT NULL CHECK (status IN ('CONFIRMED', 'CANCELLED')),
                created_at   INTEGER NOT NULL,
                cancelled_at INTEGER
            );
            CREATE INDEX idx_hotel_bookings_user ON hotel_bookings(user_id, created_at DESC);
            CREATE INDEX idx_hotel_bookings_room_type ON hotel_bookings(room_type_id, status);
            """)
}
