enum P020PendingDeliveries {
    /// Lets the dispatcher walk the pending deliveries in event order without the delivered ones: its lease scanned
    /// every delivery ever made from the oldest on (the delivered stay, for the record), slower with every sale.
    /// PostgreSQL only: SQLite finds the pending ones through `idx_deliveries_due` and sorts them.
    static let migration = PostgresMigration(
        id: "020_pending_deliveries",
        sql: ["CREATE INDEX idx_deliveries_pending ON event_deliveries(event_seq) WHERE status = 'PENDING'"])
}
