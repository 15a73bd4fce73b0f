enum M010HotelOperations {
    /// Guest contact and the NEEDS_ATTENTION state on hotel bookings (the table is rebuilt: SQLite cannot
    /// change a CHECK), the overbooked-night index the checker scans, PMS webhooks scoped to one hotel,
    /// leases for once-per-cluster jobs, and reconciliation reports. `sold` may pass `total` only in a write
    /// that also stamps `sold_forced_at` (a reconciliation heal or a bulk import recording bookings that exist).
    static let migration = SQLiteMigration(
        id: "010_hotel_operations",
        sql: """
            CREATE TABLE hotel_bookings_next (
                booking_id       TEXT PRIMARY KEY,
                user_id          TEXT NOT NULL,
                hotel_id         TEXT NOT NULL REFERENCES hotels(hotel_id),
                room_type_id     TEXT NOT NULL REFERENCES room_types(room_type_id),
                check_in         TEXT NOT NULL,
                check_out        TEXT NOT NULL,
                rooms            INTEGER NOT NULL CHECK (rooms > 0),
                guests           INTEGER NOT NULL CHECK (guests > 0),
                guest_name       TEXT NOT NULL DEFAULT '',
                guest_email      TEXT NOT NULL DEFAULT '',
                amount           INTEGER NOT NULL CHECK (amount >= 0),
                status           TEXT NOT NULL CHECK (status IN ('CONFIRMED', 'NEEDS_ATTENTION', 'CANCELLED')),
                attention_reason TEXT,
                created_at       INTEGER NOT NULL,
                cancelled_at     INTEGER,
                CHECK (check_out > check_in)
            );
            INSERT INTO hotel_bookings_next (booking_id, user_id, hotel_id, room_type_id, check_in, check_out, rooms, guests, amount, status,
                                             created_at, cancelled_at)
            SELECT booking_id, user_id, hotel_id, room_type_id, check_in, check_out, rooms, guests, amount, status, created_at, cancelled_at
            FROM hotel_bookings;
            DROP TABLE hotel_bookings;
            ALTER TABLE hotel_bookings_next RENAME TO hotel_bookings;
            CREATE INDEX idx_hotel_bookings_user ON hotel_bookings(user_id, created_at DESC);
            CREATE INDEX idx_hotel_bookings_stay ON hotel_bookings(room_type_id, status, check_in);
            CREATE INDEX idx_hotel_bookings_status ON hotel_bookings(status, created_at);
            ALTER TABLE hotel_inventory ADD COLUMN out_of_service INTEGER NOT NULL DEFAULT 0 CHECK (out_of_service >= 0);
            CREATE INDEX idx_inventory_overbooked ON hotel_inventory(night) WHERE sold > total - out_of_service;
            ALTER TABLE hotel_inventory ADD COLUMN sold_forced_at INTEGER;
            DROP TRIGGER hotel_inventory_no_oversell;
            CREATE TRIGGER hotel_inventory_no_oversell
            BEFORE UPDATE OF sold ON hotel_inventory
            WHEN NEW.sold > OLD.sold AND NEW.sold > NEW.total - NEW.out_of_service AND NEW.sold_forced_at IS OLD.sold_forced_at
            BEGIN
                SELECT RAISE(ABORT, 'sold would exceed total');
            END;
            ALTER TABLE webhook_subscriptions ADD COLUMN hotel_id TEXT REFERENCES hotels(hotel_id);
            CREATE INDEX idx_webhooks_hotel ON webhook_subscriptions(hotel_id) WHERE hotel_id IS NOT NULL;
            CREATE TABLE job_leases (
                name        TEXT PRIMARY KEY,
                owner       TEXT NOT NULL,
                lease_until INTEGER NOT NULL
            );
            CREATE TABLE reconciliation_reports (
                report_id   TEXT PRIMARY KEY,
                started_at  INTEGER NOT NULL,
                finished_at INTEGER NOT NULL,
                report      TEXT NOT NULL
            );
            CREATE INDEX idx_reconciliation_reports_time ON reconciliation_reports(started_at DESC);
            CREATE TABLE rooms (
                room_id      TEXT PRIMARY KEY,
                hotel_id     TEXT NOT NULL REFERENCES hotels(hotel_id),
                room_type_id TEXT NOT NULL REFERENCES room_types(room_type_id),
                number       TEXT NOT NULL,
                created_at   INTEGER NOT NULL,
                UNIQUE (hotel_id, number)
            );
            CREATE INDEX idx_rooms_type ON rooms(room_type_id);
            CREATE TABLE room_outages (
                outage_id    TEXT PRIMARY KEY,
                room_id      TEXT NOT NULL REFERENCES rooms(room_id),
                room_type_id TEXT NOT NULL REFERENCES room_types(room_type_id),
                starts       TEXT NOT NULL,
                ends         TEXT NOT NULL,
                reason       TEXT NOT NULL,
                created_at   INTEGER NOT NULL,
                ended_at     INTEGER,
                CHECK (ends > starts)
            );
            CREATE INDEX idx_room_outages_room ON room_outages(room_id) WHERE ended_at IS NULL;
            CREATE INDEX idx_room_outages_type ON room_outages(room_type_id, starts);
            """)
}
