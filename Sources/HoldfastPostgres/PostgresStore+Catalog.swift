import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    static let movieColumns = """
        movie_id, title, about, thumbnail_url, rating::text AS rating, duration_mins, age_rating,
        release_date::text AS release_date, language, format, genres, created_at
        """
    static let theatreColumns = """
        theatre_id, name, address, geo_lat::float8 AS geo_lat, geo_lng::float8 AS geo_lng, cancellation_available,
        time_zone, created_at
        """
    static let screenColumns = "layout_id, theatre_id, screen_name, layout_json::text AS layout_json, created_at"
    static let showColumns = """
        show_id, movie_id, theatre_id, screen_name, start_time, local_date::text AS local_date, price,
        category_prices::text AS category_prices, layout_json::text AS layout_json, status, created_at,
        price_change::text AS price_change, revision
        """

    public func movies(_ query: MovieQuery) async throws -> Page<Movie> {
        let language = query.language, genre = query.genre, format = query.format, date = query.date?.description
        let page = query.page
        return try await read { connection in
            // One round trip: the matching page, plus the total even when the page is past the end.
            let rows = try await connection.rows(
                """
                WITH matching AS (
                    SELECT \(unescaped: Self.movieColumns) FROM movies
                    WHERE (\(language)::text IS NULL OR lower(language) = lower(\(language)::text))
                      AND (\(format)::text IS NULL OR lower(format) = lower(\(format)::text))
                      AND (\(genre)::text IS NULL OR EXISTS (SELECT 1 FROM unnest(genres) g WHERE lower(g) = lower(\(genre)::text)))
                      AND (\(date)::date IS NULL OR EXISTS (
                            SELECT 1 FROM shows s WHERE s.movie_id = movies.movie_id AND s.local_date = \(date)::date
                              AND s.status <> 'CANCELLED'))
                )
                SELECT page.*, (SELECT COUNT(*) FROM matching) AS total
                FROM (SELECT 1) AS one
                LEFT JOIN LATERAL (
                    SELECT * FROM matching ORDER BY release_date DESC NULLS LAST, title, movie_id
                    LIMIT \(page.pageSize) OFFSET \(page.offset)
                ) AS page ON TRUE
                """, logger)
            let total = try rows.first?.value("total", as: Int.self) ?? 0
            let movies = try rows.filter { try $0.value("movie_id", as: UUID?.self) != nil }.map { try Self.movie($0) }
            return Page(items: movies, page: page.page, pageSize: page.pageSize, total: total)
        }
    }

    public func movie(_ movieId: UUID) async throws -> Movie? {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.movieColumns) FROM movies WHERE movie_id = \(movieId)", logger)
                .first.map { try Self.movie($0) }
        }
    }

    public func hasMovies() async throws -> Bool {
        try await read { connection in
            try await connection.rows("SELECT EXISTS (SELECT 1 FROM movies) AS present", logger).first?.value("present", as: Bool.self) ?? false
        }
    }

    public func claimSetupStep(_ name: String, now: Date) async throws -> Bool {
        try await statement { connection in
            try await !connection.rows(
                "INSERT INTO setup_steps (name, claimed_at) VALUES (\(name), \(now)) ON CONFLICT (name) DO NOTHING RETURNING name",
                logger
            ).isEmpty
        }
    }

    public func saveMovie(_ movie: Movie) async throws {
        let rating = movie.rating.map { "\($0)" }
        let release = movie.releaseDate?.description
        try await statement { connection in
            try await connection.execute(
                """
                INSERT INTO movies (movie_id, title, about, thumbnail_url, rating, duration_mins, age_rating, release_date,
                                    language, format, genres, created_at)
                VALUES (\(movie.movieId), \(movie.title), \(movie.about), \(movie.thumbnailUrl), \(rating)::numeric,
                        \(movie.durationMins), \(movie.ageRating), \(release)::date, \(movie.language), \(movie.format),
                        \(movie.genres), \(movie.createdAt))
                ON CONFLICT (movie_id) DO UPDATE SET
                    title = EXCLUDED.title, about = EXCLUDED.about, thumbnail_url = EXCLUDED.thumbnail_url,
                    rating = EXCLUDED.rating, duration_mins = EXCLUDED.duration_mins, age_rating = EXCLUDED.age_rating,
                    release_date = EXCLUDED.release_date, language = EXCLUDED.language, format = EXCLUDED.format,
                    genres = EXCLUDED.genres
                """, logger)
        }
    }

    public func theatres() async throws -> [Theatre] {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.theatreColumns) FROM theatres ORDER BY name", logger).map { try Self.theatre($0) }
        }
    }

    public func theatre(_ theatreId: UUID) async throws -> Theatre? {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.theatreColumns) FROM theatres WHERE theatre_id = \(theatreId)", logger)
                .first.map { try Self.theatre($0) }
        }
    }

    public func saveTheatre(_ theatre: Theatre) async throws {
        try await statement { connection in
            try await connection.execute(
                """
                INSERT INTO theatres (theatre_id, name, address, geo_lat, geo_lng, cancellation_available, time_zone, created_at)
                VALUES (\(theatre.theatreId), \(theatre.name), \(theatre.address), \(theatre.geoLat)::numeric,
                        \(theatre.geoLng)::numeric, \(theatre.cancellationAvailable), \(theatre.timeZone), \(theatre.createdAt))
                ON CONFLICT (theatre_id) DO UPDATE SET
                    name = EXCLUDED.name, address = EXCLUDED.address, geo_lat = EXCLUDED.geo_lat, geo_lng = EXCLUDED.geo_lng,
                    cancellation_available = EXCLUDED.cancellation_available, time_zone = EXCLUDED.time_zone
                """, logger)
        }
    }

    public func screen(_ layoutId: UUID) async throws -> Screen? {
        try await read { connection in
            try await connection.rows("SELECT \(unescaped: Self.screenColumns) FROM seat_layouts WHERE layout_id = \(layoutId)", logger)
                .first.map(Self.screen)
        }
    }

    public func screens(theatreId: UUID) async throws -> [Screen] {
        try await read { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.screenColumns) FROM seat_layouts WHERE theatre_id = \(theatreId) ORDER BY screen_name", logger
            ).map(Self.screen)
        }
    }

    public func saveScreen(_ screen: Screen) async throws {
        let layout = try StoredJSON.encode(screen.layout)
        let columns = screen.layout.rows.map { $0.seats.count }.max() ?? 0
        try await statement { connection in
            try await connection.execute(
                """
                INSERT INTO seat_layouts (layout_id, theatre_id, screen_name, rows, cols, layout_json, created_at)
                VALUES (\(screen.layoutId), \(screen.theatreId), \(screen.screenName), \(screen.layout.rows.count), \(columns),
                        \(layout)::jsonb, \(screen.createdAt))
                ON CONFLICT (layout_id) DO UPDATE SET
                    screen_name = EXCLUDED.screen_name, rows = EXCLUDED.rows, cols = EXCLUDED.cols, layout_json = EXCLUDED.layout_json
                """, logger)
        }
    }

    public func show(_ showId: UUID) async throws -> Show? {
        try await read { connection in try await showRow(connection, showId) }
    }

    func showRow(_ connection: PostgresConnection, _ showId: UUID) async throws -> Show? {
        try await connection.rows("SELECT \(unescaped: Self.showColumns) FROM shows WHERE show_id = \(showId)", logger).first.map(decodeShow)
    }

    /// The show as of `revision`, read alongside by the caller: from the show cache while it holds that revision
    /// (it does once the show was read since its last change), else read on `connection`.
    func show(_ connection: PostgresConnection, _ showId: UUID, revision: Int64) async throws -> Show? {
        if let show = shows.cached(showId, revision: revision) { return show }
        return try await showRow(connection, showId)
    }

    /// The show of a row read with its show's revision (`show_revision`); `notFound` when the show is gone.
    func show(_ connection: PostgresConnection, _ showId: UUID, readWith row: PostgresRandomAccessRow) async throws -> Show {
        guard let show = try await show(connection, showId, revision: try row.value("show_revision")) else {
            throw HoldfastError.notFound("Show")
        }
        return show
    }

    public func shows(movieId: UUID, on date: CalendarDate) async throws -> [Show] {
        let day = date.description
        return try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.showColumns) FROM shows
                WHERE movie_id = \(movieId) AND local_date = \(day)::date ORDER BY start_time, show_id
                """, logger
            ).map(decodeShow)
        }
    }

    public func saveShow(_ show: Show, events: [DomainEvent]) async throws {
        let layout = try StoredJSON.encode(show.layout)
        let prices = try StoredJSON.encodePrices(show.categoryPrices)
        let day = show.localDate.description
        let status = show.cancelled ? "CANCELLED" : "SCHEDULED"
        try await transaction { connection in
            try await connection.execute(
                """
                INSERT INTO shows (show_id, movie_id, theatre_id, screen_name, start_time, local_date, price, category_prices,
                                   layout_json, seat_count, status, created_at)
                VALUES (\(show.showId), \(show.movieId), \(show.theatreId), \(show.screenName), \(show.startTime), \(day)::date,
                        \(show.price.minorUnits), \(prices)::jsonb, \(layout)::jsonb, \(show.layout.seats.count), \(status),
                        \(show.createdAt))
                ON CONFLICT (show_id) DO UPDATE SET
                    start_time = EXCLUDED.start_time, local_date = EXCLUDED.local_date, price = EXCLUDED.price,
                    category_prices = EXCLUDED.category_prices, status = EXCLUDED.status
                """, logger)
            try await Self.record(connection, logger, events)
        }
    }

    public func takenSeatCounts(showIds: [UUID], now: Date) async throws -> [UUID: Int] {
        guard !showIds.isEmpty else { return [:] }
        return try await read { connection in
            let rows = try await connection.rows(
                """
                SELECT show_id, COUNT(*) AS taken FROM seat_claims
                WHERE show_id = ANY(\(showIds)) AND (stage = 'BOOKED' OR expires_at > \(now))
                GROUP BY show_id
                """, logger)
            return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.value("show_id", as: UUID.self), try $0.value("taken", as: Int.self)) })
        }
    }
}

extension PostgresStore {
    /// `prefix` as `qualified` gave it, where a join names the movie's columns so.
    static func movie(_ row: PostgresRandomAccessRow, prefix: String = "") throws -> Movie {
        Movie(
            movieId: try row.value(prefix + "movie_id"), title: try row.value(prefix + "title"), about: try row.value(prefix + "about"),
            thumbnailUrl: try row.value(prefix + "thumbnail_url"),
            rating: try row.value(prefix + "rating", as: String?.self).flatMap { Decimal(string: $0) },
            durationMins: try row.value(prefix + "duration_mins"), ageRating: try row.value(prefix + "age_rating"),
            releaseDate: try row.value(prefix + "release_date", as: String?.self).map { try CalendarDate($0) },
            language: try row.value(prefix + "language"), format: try row.value(prefix + "format"), genres: try row.value(prefix + "genres"),
            createdAt: try row.value(prefix + "created_at"))
    }

    static func theatre(_ row: PostgresRandomAccessRow, prefix: String = "") throws -> Theatre {
        Theatre(
            theatreId: try row.value(prefix + "theatre_id"), name: try row.value(prefix + "name"), address: try row.value(prefix + "address"),
            geoLat: try row.value(prefix + "geo_lat"), geoLng: try row.value(prefix + "geo_lng"),
            cancellationAvailable: try row.value(prefix + "cancellation_available"), timeZone: try row.value(prefix + "time_zone"),
            createdAt: try row.value(prefix + "created_at"))
    }

    static func screen(_ row: PostgresRandomAccessRow) throws -> Screen {
        Screen(
            layoutId: try row.value("layout_id"), theatreId: try row.value("theatre_id"), screenName: try row.value("screen_name"),
            layout: try StoredJSON.decode(SeatLayout.self, try row.value("layout_json")), createdAt: try row.value("created_at"))
    }

    /// Rows of an unchanged show (same revision) reuse the show decoded before.
    func decodeShow(_ row: PostgresRandomAccessRow) throws -> Show {
        try shows.show(try row.value("show_id"), revision: try row.value("revision")) { try Self.show(row) }
    }

    static func show(_ row: PostgresRandomAccessRow) throws -> Show {
        Show(
            showId: try row.value("show_id"), movieId: try row.value("movie_id"), theatreId: try row.value("theatre_id"),
            screenName: try row.value("screen_name"), startTime: try row.value("start_time"),
            localDate: try CalendarDate(try row.value("local_date", as: String.self)),
            price: Money(minorUnits: try row.value("price")),
            categoryPrices: try StoredJSON.decodePrices(try row.value("category_prices")),
            layout: try StoredJSON.decode(SeatLayout.self, try row.value("layout_json")),
            cancelled: try row.value("status", as: String.self) == "CANCELLED", createdAt: try row.value("created_at"),
            priceChange: try row.value("price_change", as: String?.self).map { try StoredJSON.decode(PriceChangeMetadata.self, $0) })
    }
}
