enum M001CinemaCatalog {
    static let migration = SQLiteMigration(
        id: "001_cinema_catalog",
        sql: """
            CREATE TABLE movies (
                movie_id      TEXT PRIMARY KEY,
                title         TEXT NOT NULL,
                about         TEXT,
                thumbnail_url TEXT,
                rating        TEXT,
                duration_mins INTEGER,
                age_rating    TEXT,
                release_date  TEXT,
                language      TEXT,
                format        TEXT,
                genres        TEXT NOT NULL DEFAULT '[]',
                created_at    INTEGER NOT NULL
            );
            CREATE TABLE theatres (
                theatre_id             TEXT PRIMARY KEY,
                name                   TEXT NOT NULL,
                address                TEXT,
                geo_lat                REAL,
                geo_lng                REAL,
                cancellation_available INTEGER NOT NULL DEFAULT 1,
                time_zone              TEXT NOT NULL DEFAULT 'UTC',
                created_at             INTEGER NOT NULL
            );
            CREATE TABLE seat_layouts (
                layout_id   TEXT PRIMARY KEY,
                theatre_id  TEXT NOT NULL REFERENCES theatres(theatre_id),
                screen_name TEXT NOT NULL,
                rows        INTEGER NOT NULL,
                cols        INTEGER NOT NULL,
                layout_json TEXT NOT NULL,
                created_at  INTEGER NOT NULL
            );
            CREATE INDEX idx_seat_layouts_theatre ON seat_layouts(theatre_id);
            CREATE TABLE shows (
                show_id         TEXT PRIMARY KEY,
                movie_id        TEXT NOT NULL REFERENCES movies(movie_id),
                theatre_id      TEXT NOT NULL REFERENCES theatres(theatre_id),
                screen_name     TEXT NOT NULL,
                start_time      INTEGER NOT NULL,
                local_date      TEXT NOT NULL,
                price           INTEGER NOT NULL CHECK (price >= 0),
                category_prices TEXT NOT NULL DEFAULT '{}',
                layout_json     TEXT NOT NULL,
                seat_count      INTEGER NOT NULL,
                status          TEXT NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED', 'CANCELLED')),
                created_at      INTEGER NOT NULL
            );
            CREATE INDEX idx_shows_movie_date ON shows(movie_id, local_date, start_time);
            CREATE INDEX idx_shows_theatre ON shows(theatre_id, start_time);
            CREATE INDEX idx_shows_date ON shows(local_date);
            """)
}
