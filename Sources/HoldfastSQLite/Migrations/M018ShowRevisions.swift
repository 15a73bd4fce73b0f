enum M018ShowRevisions {
    /// Every change to a show's row counts up its revision, so a cached seat map can tell, with one read,
    /// whether the show changed since it was built (see `SeatMapStamp`).
    static let migration = SQLiteMigration(
        id: "018_show_revisions",
        sql: """
            ALTER TABLE shows ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
            CREATE TRIGGER shows_revised AFTER UPDATE ON shows WHEN NEW.revision = OLD.revision
            BEGIN
                UPDATE shows SET revision = OLD.revision + 1 WHERE show_id = NEW.show_id;
            END;
            """)
}
