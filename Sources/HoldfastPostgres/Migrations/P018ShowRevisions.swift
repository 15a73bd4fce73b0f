enum P018ShowRevisions {
    /// Every change to a show's row counts up its revision, so a cached seat map can tell, with one read,
    /// whether the show changed since it was built (see `SeatMapStamp`).
    static let migration = PostgresMigration(
        id: "018_show_revisions",
        sql: [
            "ALTER TABLE shows ADD COLUMN revision BIGINT NOT NULL DEFAULT 0",
            """
            CREATE FUNCTION shows_revised() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.revision := OLD.revision + 1;
                RETURN NEW;
            END;
            $$
            """,
            "CREATE TRIGGER shows_revised BEFORE UPDATE ON shows FOR EACH ROW EXECUTE FUNCTION shows_revised()",
        ])
}
