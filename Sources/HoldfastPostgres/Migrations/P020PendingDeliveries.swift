enum P020PendingDeliveries {
    /// Lets the dispatcher walk the pending deliveries in event order without the delivered ones (they stay, for the
    /// record): while the statistics lagged a fast-growing table, its lease walked the primary key past every
    /// delivered delivery from the oldest on.
    /// PostgreSQL only: SQLite finds the pending ones through `idx_deliveries_due` and sorts them.
    static let migration = PostgresMigration(
        id: "020_pending_deliveries",
        sql: ["CREATE INDEX idx_deliveries_pending ON event_deliveries(event_seq) WHERE status = 'PENDING'"])
}
