import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func movies(_ query: MovieQuery) async throws -> Page<Movie> {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let language = query.language {
            conditions.append("lower(language) = lower(?)")
            arguments += [language]
        }
        if let format = query.format {
            conditions.append("lower(format) = lower(?)")
            arguments += [format]
        }
        if let genre = query.genre {
            conditions.append("EXISTS (SELECT 1 FROM json_each(movies.genres) WHERE lower(json_each.value) = lower(?))")
            arguments += [genre]
        }
        if let date = query.date {
            conditions.append(
                "EXISTS (SELECT 1 FROM shows WHERE shows.movie_id = movies.movie_id AND shows.local_date = ? AND shows.status <> 'CANCELLED')")
            arguments += [date.description]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let page = query.page
        let filterArguments = arguments
        let pageArguments = arguments + [page.pageSize, page.offset]
        return try await read { db in
            let total = try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM movies \(filter)", arguments: filterArguments) ?? 0
            let rows = try Row.fetchAll(
                db, cached: "SELECT * FROM movies \(filter) ORDER BY release_date DESC, title, movie_id LIMIT ? OFFSET ?",
                arguments: pageArguments)
            return Page(items: try rows.map(Self.movie), page: page.page, pageSize: page.pageSize, total: total)
        }
    }

    public func movie(_ movieId: UUID) async throws -> Movie? {
        try await read { db in try Self.movieRow(db, movieId) }
    }

    static func movieRow(_ db: Database, _ movieId: UUID) throws -> Movie? {
        try Row.fetchOne(db, cached: "SELECT * FROM movies WHERE movie_id = ?", arguments: [movieId.uuidString]).map(movie)
    }

    public func hasMovies() async throws -> Bool {
        try await read { db in try Bool.fetchOne(db, cached: "SELECT EXISTS (SELECT 1 FROM movies)") ?? false }
    }

    public func claimSetupStep(_ name: String, now: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                cached: "INSERT INTO setup_steps (name, claimed_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                arguments: [name, SQLiteColumns.millis(now)])
            return db.changesCount == 1
        }
    }

    public func saveMovie(_ movie: Movie) async throws {
        let genres = try StoredJSON.encode(movie.genres)
        try await write { db in
            try db.execute(
                cached: """
                    INSERT INTO movies (movie_id, title, about, thumbnail_url, rating, duration_mins, age_rating,
                                        release_date, language, format, genres, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (movie_id) DO UPDATE SET
                        title = excluded.title, about = excluded.about, thumbnail_url = excluded.thumbnail_url,
                        rating = excluded.rating, duration_mins = excluded.duration_mins, age_rating = excluded.age_rating,
                        release_date = excluded.release_date, language = excluded.language, format = excluded.format,
                        genres = excluded.genres
                    """,
                arguments: [
                    movie.movieId.uuidString, movie.title, movie.about, movie.thumbnailUrl,
                    movie.rating.map { "\($0)" }, movie.durationMins, movie.ageRating,
                    movie.releaseDate?.description, movie.language, movie.format, genres,
                    SQLiteColumns.millis(movie.createdAt),
                ])
        }
    }

    public func theatres() async throws -> [Theatre] {
        try await read { db in try Row.fetchAll(db, cached: "SELECT * FROM theatres ORDER BY name").map(Self.theatre) }
    }

    public func theatre(_ theatreId: UUID) async throws -> Theatre? {
        try await read { db in try Self.theatreRow(db, theatreId) }
    }

    static func theatreRow(_ db: Database, _ theatreId: UUID) throws -> Theatre? {
        try Row.fetchOne(db, cached: "SELECT * FROM theatres WHERE theatre_id = ?", arguments: [theatreId.uuidString]).map(theatre)
    }

    public func saveTheatre(_ theatre: Theatre) async throws {
        try await write { db in
            try db.execute(
                cached: """
                    INSERT INTO theatres (theatre_id, name, address, geo_lat, geo_lng, cancellation_available, time_zone, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (theatre_id) DO UPDATE SET
                        name = excluded.name, address = excluded.address, geo_lat = excluded.geo_lat,
                        geo_lng = excluded.geo_lng, cancellation_available = excluded.cancellation_available,
                        time_zone = excluded.time_zone
                    """,
                arguments: [
                    theatre.theatreId.uuidString, theatre.name, theatre.address, theatre.geoLat, theatre.geoLng,
                    theatre.cancellationAvailable, theatre.timeZone, SQLiteColumns.millis(theatre.createdAt),
                ])
        }
    }

    public func screen(_ layoutId: UUID) async throws -> Screen? {
        try await read { db in
            try Row.fetchOne(db, cached: "SELECT * FROM seat_layouts WHERE layout_id = ?", arguments: [layoutId.uuidString])
                .map(Self.screen)
        }
    }

    public func screens(theatreId: UUID) async throws -> [Screen] {
        try await read { db in
            try Row.fetchAll(
                db, cached: "SELECT * FROM seat_layouts WHERE theatre_id = ? ORDER BY screen_name",
                arguments: [theatreId.uuidString]
            ).map(Self.screen)
        }
    }

    public func saveScreen(_ screen: Screen) async throws {
        let layout = try StoredJSON.encode(screen.layout)
        let columns = screen.layout.rows.map { $0.seats.count }.max() ?? 0
        try await write { db in
            try db.execute(
                cached: """
                    INSERT INTO seat_layouts (layout_id, theatre_id, screen_name, rows, cols, layout_json, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (layout_id) DO UPDATE SET
                        screen_name = excluded.screen_name, rows = excluded.rows, cols = excluded.cols,
                        layout_json = excluded.layout_json
                    """,
                arguments: [
                    screen.layoutId.uuidString, screen.theatreId.uuidString, screen.screenName,
                    screen.layout.rows.count, columns, layout, SQLiteColumns.millis(screen.createdAt),
                ])
        }
    }

    public func show(_ showId: UUID) async throws -> Show? {
        try await read { db in try showRow(db, showId) }
    }

    func showRow(_ db: Database, _ showId: UUID) throws -> Show? {
        try Row.fetchOne(db, cached: "SELECT * FROM shows WHERE show_id = ?", arguments: [showId.uuidString]).map(decodeShow)
    }

    public func shows(movieId: UUID, on date: CalendarDate) async throws -> [Show] {
        try await read { db in
            try Row.fetchAll(
                db, cached: "SELECT * FROM shows WHERE movie_id = ? AND local_date = ? ORDER BY start_time, show_id",
                arguments: [movieId.uuidString, date.description]
            ).map(decodeShow)
        }
    }

    public func saveShow(_ show: Show, events: [DomainEvent]) async throws {
        let layout = try StoredJSON.encode(show.layout)
        let prices = try StoredJSON.encodePrices(show.categoryPrices)
        try await write { db in
            try db.execute(
                cached: """
                    INSERT INTO shows (show_id, movie_id, theatre_id, screen_name, start_time, local_date, price,
                                       category_prices, layout_json, seat_count, status, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (show_id) DO UPDATE SET
                        start_time = excluded.start_time, local_date = excluded.local_date, price = excluded.price,
                        category_prices = excluded.category_prices, status = excluded.status
                    """,
                arguments: [
                    show.showId.uuidString, show.movieId.uuidString, show.theatreId.uuidString, show.screenName,
                    SQLiteColumns.millis(show.startTime), show.localDate.description, show.price.minorUnits, prices,
                    layout, show.layout.seats.count, show.cancelled ? "CANCELLED" : "SCHEDULED",
                    SQLiteColumns.millis(show.createdAt),
                ])
            try Self.record(db, events)
        }
    }

    public func takenSeatCounts(showIds: [UUID], now: Date) async throws -> [UUID: Int] {
        guard !showIds.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: showIds.count).joined(separator: ", ")
        let arguments = StatementArguments(showIds.map(\.uuidString)) + [SQLiteColumns.millis(now)]
        return try await read { db in
            let rows = try Row.fetchAll(
                db,
                cached: """
                    SELECT show_id, COUNT(*) AS taken FROM seat_claims
                    WHERE show_id IN (\(placeholders)) AND (stage = 'BOOKED' OR expires_at > ?)
                    GROUP BY show_id
                    """,
                arguments: arguments)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.uuid("show_id"), $0["taken"] as Int) })
        }
    }
}

extension SQLiteStore {
    static func movie(_ row: Row) throws -> Movie {
        Movie(
            movieId: row.uuid("movie_id"), title: row["title"], about: row["about"], thumbnailUrl: row["thumbnail_url"],
            rating: (row["rating"] as String?).flatMap { Decimal(string: $0) }, durationMins: row["duration_mins"],
            ageRating: row["age_rating"], releaseDate: try (row["release_date"] as String?).map { try CalendarDate($0) },
            language: row["language"], format: row["format"],
            genres: try StoredJSON.decode([String].self, row["genres"]), createdAt: row.date("created_at"))
    }

    static func theatre(_ row: Row) -> Theatre {
        Theatre(
            theatreId: row.uuid("theatre_id"), name: row["name"], address: row["address"], geoLat: row["geo_lat"],
            geoLng: row["geo_lng"], cancellationAvailable: row["cancellation_available"], timeZone: row["time_zone"],
            createdAt: row.date("created_at"))
    }

    static func screen(_ row: Row) throws -> Screen {
        Screen(
            layoutId: row.uuid("layout_id"), theatreId: row.uuid("theatre_id"), screenName: row["screen_name"],
            layout: try StoredJSON.decode(SeatLayout.self, row["layout_json"]), createdAt: row.date("created_at"))
    }

    /// Rows of an unchanged show (same revision) reuse the show decoded before.
    func decodeShow(_ row: Row) throws -> Show {
        try shows.show(row.uuid("show_id"), revision: row["revision"]) { try Self.show(row) }
    }

    static func show(_ row: Row) throws -> Show {
        Show(
            showId: row.uuid("show_id"), movieId: row.uuid("movie_id"), theatreId: row.uuid("theatre_id"),
            screenName: row["screen_name"], startTime: row.date("start_time"),
            localDate: try CalendarDate(row["local_date"] as String), price: Money(minorUnits: row["price"]),
            categoryPrices: try StoredJSON.decodePrices(row["category_prices"]),
            layout: try StoredJSON.decode(SeatLayout.self, row["layout_json"]),
            cancelled: (row["status"] as String) == "CANCELLED", createdAt: row.date("created_at"),
            priceChange: try (row["price_change"] as String?).map { try StoredJSON.decode(PriceChangeMetadata.self, $0) })
    }
}
