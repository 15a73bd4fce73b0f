enum P001CinemaCatalog {
    static let migration = PostgresMigration(
        id: "001_cinema_catalog",
        sql: [
            """
            CREATE TABLE movies (
                movie_id      UUID PRIMARY KEY,
                title         VARCHAR(255) NOT NULL,
                about         TEXT,
                thumbnail_url TEXT,
                rating        NUMERIC(3,1),
                duration_mins INTEGER,
                age_rating    VARCHAR(10),
                release_date  DATE,
                language      VARCHAR(50),
                format        VARCHAR(20),
                genres        TEXT[] NOT NULL DEFAULT '{}',
                created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE theatres (
                theatre_id             UUID PRIMARY KEY,
                name                   VARCHAR(255) NOT NULL,
                address                TEXT,
                geo_lat                DECIMAL(10, 8),
                geo_lng                DECIMAL(11, 8),
                cancellation_available BOOLEAN NOT NULL DEFAULT TRUE,
                time_zone              TEXT NOT NULL DEFAULT 'UTC',
                created_at             TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE seat_layouts (
                layout_id   UUID PRIMARY KEY,
                theatre_id  UUID NOT NULL REFERENCES theatres(theatre_id),
                screen_name VARCHAR(50) NOT NULL,
                rows        INTEGER NOT NULL,
                cols        INTEGER NOT NULL,
                layout_json JSONB NOT NULL,
                created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX idx_seat_layouts_theatre ON seat_layouts(theatre_id)",
            """
            CREATE TABLE shows (
                show_id         UUID PRIMARY KEY,
                movie_id        UUID NOT NULL REFERENCES movies(movie_id),
                theatre_id      UUID NOT NULL REFERENCES theatres(theatre_id),
                screen_name     VARCHAR(50) NOT NULL,
                start_time      TIMESTAMPTZ NOT NULL,
                local_date      DATE NOT NULL,
                price           BIGINT NOT NULL CHECK (price >= 0),
                category_prices JSONB NOT NULL DEFAULT '{}',
                layout_json     JSONB NOT NULL,
                seat_count      INTEGER NOT NULL,
                status          VARCHAR(20) NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED', 'CANCELLED')),
                created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX idx_shows_movie_date ON shows(movie_id, local_date, start_time)",
            "CREATE INDEX idx_shows_theatre ON shows(theatre_id, start_time)",
            "CREATE INDEX idx_shows_date ON shows(local_date)",
        ])
}
