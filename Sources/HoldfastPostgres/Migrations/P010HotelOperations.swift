enum P010HotelOperations {
    /// Guest contact and the NEEDS_ATTENTION state on hotel bookings, the overbooked-night index the checker
    /// scans, PMS webhooks scoped to one hotel, leases for once-per-cluster jobs, and reconciliation reports.
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
