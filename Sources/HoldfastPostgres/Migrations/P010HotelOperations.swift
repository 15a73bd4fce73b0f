enum P010HotelOperations {
    /// Guest contact and the NEEDS_ATTENTION state on hotel bookings, the overbooked-night index the checker
    /// scans, PMS webhooks scoped to one hotel, leases for once-per-cluster jobs, and reconciliation reports.
    /// `sold` may pass `total` only in a write that also stamps `sold_forced_at` (a reconciliation heal or a
    /// bulk import recording bookings that exist).
    static let migration = PostgresMigration(
        id: "010_hotel_operations",
        sql: [
            """
            ALTER TABLE hotel_bookings
                ADD COLUMN guest_name VARCHAR(255) NOT NULL DEFAULT '',
                ADD COLUMN guest_email VARCHAR(255) NOT NULL DEFAULT '',
                ADD COLUMN attention_reason TEXT,
                ALTER COLUMN status TYPE VARCHAR(20),
                DROP CONSTRAINT hotel_bookings_status_check,
                ADD CONSTRAINT hotel_bookings_status_check CHECK (status IN ('CONFIRMED', 'NEEDS_ATTENTION', 'CANCELLED'))
            """,
            "DROP INDEX idx_hotel_bookings_room_type",
            "CREATE INDEX idx_hotel_bookings_stay ON hotel_bookings(room_type_id, status, check_in)",
            "CREATE INDEX idx_hotel_bookings_status ON hotel_bookings(status, created_at)",
            "ALTER TABLE hotel_inventory ADD COLUMN out_of_service INTEGER NOT NULL DEFAULT 0 CHECK (out_of_service >= 0)",
            "CREATE INDEX idx_inventory_overbooked ON hotel_inventory(night) WHERE sold > total - out_of_service",
            "ALTER TABLE hotel_inventory ADD COLUMN sold_forced_at TIMESTAMPTZ",
            "DROP TRIGGER hotel_inventory_no_oversell ON hotel_inventory",
            """
            CREATE TRIGGER hotel_inventory_no_oversell BEFORE UPDATE OF sold ON hotel_inventory
            FOR EACH ROW WHEN (NEW.sold > OLD.sold AND NEW.sold > NEW.total - NEW.out_of_service AND NEW.sold_forced_at IS NOT DISTINCT FROM OLD.sold_forced_at)
            EXECUTE FUNCTION hotel_inventory_no_oversell()
            """,
            "ALTER TABLE webhook_subscriptions ADD COLUMN hotel_id UUID REFERENCES hotels(hotel_id)",
            "CREATE INDEX idx_webhooks_hotel ON webhook_subscriptions(hotel_id) WHERE hotel_id IS NOT NULL",
            """
            CREATE TABLE job_leases (
                name        VARCHAR(100) PRIMARY KEY,
                owner       VARCHAR(100) NOT NULL,
                lease_until TIMESTAMPTZ NOT NULL
            )
            """,
            """
            CREATE TABLE reconciliation_reports (
                report_id   UUID PRIMARY KEY,
                started_at  TIMESTAMPTZ NOT NULL,
                finished_at TIMESTAMPTZ NOT NULL,
                report      JSONB NOT NULL
            )
            """,
            "CREATE INDEX idx_reconciliation_reports_time ON reconciliation_reports(started_at DESC)",
            """
            CREATE TABLE rooms (
                room_id      UUID PRIMARY KEY,
                hotel_id     UUID NOT NULL REFERENCES hotels(hotel_id),
                room_type_id UUID NOT NULL REFERENCES room_types(room_type_id),
                number       VARCHAR(20) NOT NULL,
                created_at   TIMESTAMPTZ NOT NULL,
                UNIQUE (hotel_id, number)
            )
            """,
            "CREATE INDEX idx_rooms_type ON rooms(room_type_id)",
            """
            CREATE TABLE room_outages (
                outage_id    UUID PRIMARY KEY,
                room_id      UUID NOT NULL REFERENCES rooms(room_id),
                room_type_id UUID NOT NULL REFERENCES room_types(room_type_id),
                starts       DATE NOT NULL,
                ends         DATE NOT NULL,
                reason       TEXT NOT NULL,
                created_at   TIMESTAMPTZ NOT NULL,
                ended_at     TIMESTAMPTZ,
                CHECK (ends > starts)
            )
            """,
            "CREATE INDEX idx_room_outages_room ON room_outages(room_id) WHERE ended_at IS NULL",
            "CREATE INDEX idx_room_outages_type ON room_outages(room_type_id, starts)",
        ])
}
