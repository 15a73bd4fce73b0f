import Foundation
import HoldfastCore

/// A catalog to try Holdfast with: six movies, three theatres in Asia/Kolkata, each with the seed's
/// 10 x 10 screen and one differently shaped screen, and four shows a day per screen for seven days.
public enum DemoCatalog {
    /// Loads the demo catalog unless the store already has movies; answers whether it loaded.
    @discardableResult
    public static func loadIfEmpty(into catalog: CatalogService) async throws -> Bool {
        let now = catalog.clock.now()
        guard try await !catalog.stores.hasMovies(), try await catalog.stores.claimSetupStep("demo_catalog", now: now) else {
            return false
        }
        let movieIds = try await loadMovies(catalog, now: now)
        let zone = TimeZone(identifier: "Asia/Kolkata")!
        for (index, theatre) in theatres(now: now).enumerated() {
            try await catalog.saveTheatre(theatre)
            let screens = [
                Screen(layoutId: UUID(), theatreId: theatre.theatreId, screenName: "Screen 1", layout: .standard, createdAt: now),
                Screen(layoutId: UUID(), theatreId: theatre.theatreId, screenName: index == 0 ? "Gold Lounge" : "Screen 2",
                       layout: index == 0 ? goldLounge : .grid(rows: 8, seatsPerRow: 12), createdAt: now),
            ]
            for screen in screens { try await catalog.saveScreen(screen) }
            try await scheduleWeek(catalog, screens: screens, movieIds: movieIds, offset: index, zone: zone, now: now)
        }
        return true
    }

    /// Rows A-F standard with a centre aisle, G-H premium, and a short recliner row J.
    static let goldLounge = SeatLayout(
        rows: ["A", "B", "C", "D", "E", "F"].map { SeatLayout.Row(label: $0, seats: [1, 2, 3, 4, nil, 5, 6, 7, 8, 9, 10, nil, 11, 12]) }
            + ["G", "H"].map { SeatLayout.Row(label: $0, category: "PREMIUM", seats: [1, 2, 3, 4, nil, 5, 6, 7, 8, 9, 10, nil, 11, 12]) }
            + [SeatLayout.Row(label: "J", category: "RECLINER", seats: [nil, 1, 2, nil, 3, 4, nil, 5, 6, nil])])

    private static func scheduleWeek(
        _ catalog: CatalogService, screens: [Screen], movieIds: [UUID], offset: Int, zone: TimeZone, now: Date
    ) async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: now)
        let times = [(10, 0), (13, 30), (17, 0), (20, 30)]
        for day in 0..<7 {
            for (screenIndex, screen) in screens.enumerated() {
                for (slot, time) in times.enumerated() {
                    let date = calendar.date(byAdding: DateComponents(day: day, hour: time.0, minute: time.1), to: today)!
                    let movie = movieIds[(day + slot + screenIndex * 2 + offset) % movieIds.count]
                    let base = slot == 0 ? 18_000 : 25_000
                    _ = try await catalog.createShow(
                        movieId: movie, layoutId: screen.layoutId, startTime: date, price: Money(minorUnits: base),
                        categoryPrices: ["PREMIUM": Money(minorUnits: base + 10_000), "RECLINER": Money(minorUnits: base + 30_000)]
                            .filter { screen.layout.categories.contains($0.key) })
                }
            }
        }
    }

    private static func loadMovies(_ catalog: CatalogService, now: Date) async throws -> [UUID] {
        let movies: [(String, String, String, Decimal, Int, String, String, String, String, [String])] = [
            ("The Last Lighthouse", "A keeper and a storm that will not end.", "lighthouse", 8.4, 128, "UA", "2026-10-30", "English", "2D", ["Drama", "Thriller"]),
            ("Monsoon Express", "Strangers on the last train before the floods.", "monsoon", 7.9, 142, "UA", "2026-11-06", "Hindi", "2D", ["Drama", "Romance"]),
            ("Orbit of Ashes", "The crew of a mining ship finds a signal.", "orbit", 8.1, 151, "UA", "2026-11-13", "English", "IMAX", ["Sci-Fi", "Action"]),
            ("Kaveri Nights", "A detective returns to the river town she left.", "kaveri", 7.6, 134, "A", "2026-10-23", "Tamil", "2D", ["Crime", "Thriller"]),
            ("Paper Tigers", "Three friends, one bakery, no money.", "tigers", 7.2, 112, "U", "2026-11-20", "Hindi", "2D", ["Comedy"]),
            ("Skyforge 3D", "Dragons return to the floating cities.", "skyforge", 7.8, 118, "U", "2026-11-20", "English", "3D", ["Animation", "Family", "Adventure"]),
            ("Velocity Line", "A courier has one hour to cross the city.", "velocity", 6.9, 104, "UA", "2026-09-25", "Telugu", "2D", ["Action"]),
        ]
        var ids: [UUID] = []
        for (title, about, poster, rating, minutes, age, release, language, format, genres) in movies {
            let movie = Movie(
                movieId: UUID(), title: title, about: about, thumbnailUrl: "https://images.holdfast.example/posters/\(poster).jpg",
                rating: rating, durationMins: minutes, ageRating: age, releaseDate: try CalendarDate(release),
                language: language, format: format, genres: genres, createdAt: now)
            try await catalog.saveMovie(movie)
            ids.append(movie.movieId)
        }
        return ids
    }

    private static func theatres(now: Date) -> [Theatre] {
        [
            Theatre(theatreId: UUID(), name: "PVR Phoenix Marketcity", address: "Whitefield Road, Mahadevapura, Bengaluru 560048",
                    geoLat: 12.99715, geoLng: 77.69613, cancellationAvailable: true, timeZone: "Asia/Kolkata", createdAt: now),
            Theatre(theatreId: UUID(), name: "INOX Garuda Mall", address: "Magrath Road, Ashok Nagar, Bengaluru 560025",
                    geoLat: 12.97011, geoLng: 77.60993, cancellationAvailable: false, timeZone: "Asia/Kolkata", createdAt: now),
            Theatre(theatreId: UUID(), name: "Cinepolis Nexus Koramangala", address: "Hosur Road, Koramangala, Bengaluru 560095",
                    geoLat: 12.93456, geoLng: 77.61119, cancellationAvailable: true, timeZone: "Asia/Kolkata", createdAt: now),
        ]
    }
}
