enum P005SetupSteps {
    /// One-off start-up work (loading the demo catalog) is claimed here, so of several instances
    /// starting together exactly one does it.
    static let migration = PostgresMigration(
        id: "005_setup_steps",
        sql: ["CREATE TABLE setup_steps (name TEXT PRIMARY KEY, claimed_at TIMESTAMPTZ NOT NULL)"])
}
