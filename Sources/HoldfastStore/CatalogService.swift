import Foundation
import HoldfastCore

/// A show as listed under a movie: with its theatre and a status computed from occupancy.
public struct ShowListing: Sendable {
    public let show: Show
    public let theatre: Theatre
    public let status: ShowStatus
    public let availableSeats: Int

    public init(show: Show, theatre: Theatre, takenSeats: Int) {
        self.show = show
        self.theatre = theatre
        self.status = show.status(takenSeats: takenSeats)
        self.availableSeats = show.cancelled ? 0 : show.layout.seats.count - takenSeats
    }
}

/// Catalog reads and admin changes.
public struct CatalogService: Sendable {
    public let stores: any HoldfastStores
    public let clock: any BookingClock

    public init(stores: any HoldfastStores, clock: any BookingClock) {
        self.stores = stores
        self.clock = clock
    }

    public func movies(_ query: MovieQuery) async throws -> Page<Movie> {
        try await stores.movies(query)
    }

    public func movie(_ movieId: UUID) async throws -> Movie {
        guard let movie = try await stores.movie(movieId) else { throw HoldfastError.notFound("Movie") }
        return movie
    }

    public func shows(movieId: UUID, on date: CalendarDate) async throws -> [ShowListing] {
        _ = try await movie(movieId)
        let shows = try await stores.shows(movieId: movieId, on: date)
        let taken = try await stores.takenSeatCounts(showIds: shows.map(\.showId), now: clock.now())
        var theatres: [UUID: Theatre] = [:]
        var listings: [ShowListing] = []
        for show in shows {
            if theatres[show.theatreId] == nil { theatres[show.theatreId] = try await stores.theatre(show.theatreId) }
            guard let theatre = theatres[show.theatreId] else { continue }
            listings.append(ShowListing(show: show, theatre: theatre, takenSeats: taken[show.showId] ?? 0))
        }
        return listings
    }

    /// One show with its theatre and occupancy now.
    public func listing(_ show: Show) async throws -> ShowListing {
        let taken = try await stores.takenSeatCounts(showIds: [show.showId], now: clock.now())[show.showId] ?? 0
        guard let theatre = try await stores.theatre(show.theatreId) else { throw HoldfastError.notFound("Theatre") }
        return ShowListing(show: show, theatre: theatre, takenSeats: taken)
    }

    public func saveMovie(_ movie: Movie) async throws {
        try movie.validate()
        try await stores.saveMovie(movie)
    }

    public func saveTheatre(_ theatre: Theatre) async throws {
        try theatre.validate()
        try await stores.saveTheatre(theatre)
    }

    public func saveScreen(_ screen: Screen) async throws {
        try screen.layout.validate()
        guard try await stores.theatre(screen.theatreId) != nil else { throw HoldfastError.notFound("Theatre") }
        try await stores.saveScreen(screen)
    }

    /// Schedules a show on a screen; its seats are a copy of the screen's layout at this moment.
    public func createShow(
        showId: UUID = UUID(), movieId: UUID, layoutId: UUID, startTime: Date, price: Money, categoryPrices: [String: Money]
    ) async throws -> Show {
        _ = try await movie(movieId)
        guard let screen = try await stores.screen(layoutId) else { throw HoldfastError.notFound("Seat layout") }
        guard let theatre = try await stores.theatre(screen.theatreId) else { throw HoldfastError.notFound("Theatre") }
        let zone = TimeZone(identifier: theatre.timeZone) ?? .gmt
        let show = Show(
            showId: showId, movieId: movieId, theatreId: theatre.theatreId, screenName: screen.screenName,
            startTime: startTime, localDate: CalendarDate(startTime, in: zone), price: price,
            categoryPrices: categoryPrices, layout: screen.layout, createdAt: clock.now())
        try show.validate()
        try await stores.saveShow(show)
        return show
    }

    /// Changes a show's prices (for sales from now on; a changed base price goes through the
    /// price-change flow) or moves it (only while none of its seats is held, pending or sold).
    public func updateShow(_ showId: UUID, startTime: Date?, price: Money?, categoryPrices: [String: Money]?) async throws -> Show {
        guard var show = try await stores.show(showId) else { throw HoldfastError.notFound("Show") }
        if show.cancelled { throw HoldfastError.showCancelled }
        let now = clock.now()
        if startTime != nil {
            let taken = try await stores.takenSeatCounts(showIds: [showId], now: now)[showId] ?? 0
            guard taken == 0 else {
                throw HoldfastError(.conflict, code: "SHOW_HAS_SALES", message: "Seats of this show are already held or sold; it cannot be moved")
            }
        }
        var events: [DomainEvent] = []
        if let price, price != show.price {
            let movie = try await stores.movie(show.movieId)
            events.append(PriceEvents.initiated(PriceChange(
                subject: .show, key: showId.uuidString, movie: movie?.title, oldPrice: show.price.decimal, newPrice: price.decimal,
                changedAt: now)))
        }
        if let startTime {
            guard let theatre = try await stores.theatre(show.theatreId) else { throw HoldfastError.notFound("Theatre") }
            show.startTime = startTime
            show.localDate = CalendarDate(startTime, in: TimeZone(identifier: theatre.timeZone) ?? .gmt)
        }
        if let price { show.price = price }
        if let categoryPrices { show.categoryPrices = categoryPrices }
        try show.validate()
        try await stores.saveShow(show, events: events)
        return show
    }

    public func cancelShow(_ showId: UUID) async throws -> Show {
        guard try await stores.show(showId) != nil else { throw HoldfastError.notFound("Show") }
        try await stores.cancelShow(showId, now: clock.now())
        guard let show = try await stores.show(showId) else { throw HoldfastError.notFound("Show") }
        return show
    }
}
