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
            "CREATE INDEX idx_inventory_overbooked ON hotel_inventory(night) WHERE sold > total",
            "ALTER TABLE hotel_inventory ADD COLUMN sold_forced_at TIMESTAMPTZ",
            "DROP TRIGGER hotel_inventory_no_oversell ON hotel_inventory",
            """
            CREATE TRIGGER hotel_inventory_no_oversell BEFORE UPDATE OF sold ON hotel_inventory
            FOR EACH ROW WHEN (NEW.sold > OLD.sold AND NEW.sold > NEW.total AND NEW.sold_forced_at IS NOT DISTINCT FROM OLD.sold_forced_at)
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
        ])
}
