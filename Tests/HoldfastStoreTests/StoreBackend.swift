import Foundation
import HoldfastCore
import HoldfastSQLite
import HoldfastStore
import Testing

/// Every backend the shared store suite runs against.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite

    var testDescription: String { rawValue }

    /// A fresh, migrated, empty store.
    func makeStores() async throws -> any HoldfastStores {
        switch self {
        case .sqlite:
            let store = try SQLiteStore(path: Self.temporaryFile())
            try await store.migrate()
            return store
        }
    }

    /// Several independent handles (connection pools) on one database, as several processes would have.
    func makeSharedStores(count: Int) async throws -> [any HoldfastStores] {
        switch self {
        case .sqlite:
            let path = Self.temporaryFile()
            let first = try SQLiteStore(path: path)
            try await first.migrate()
            return [first] + (try (1..<count).map { _ in try SQLiteStore(path: path) })
        }
    }

    static func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("holdfast-test-\(UUID().uuidString).sqlite").path
    }
}

/// One movie at one theatre with one show tomorrow, on a fresh store, with a clock that moves when told.
struct Fixture {
    let stores: any HoldfastStores
    let clock: ManualBookingClock
    let catalog: CatalogService
    let booking: BookingService
    let theatre: Theatre
    let show: Show

    static let customer = Customer(name: "Asha Rao", email: "asha@example.com", phone: "9876543210")

    static func make(
        _ backend: StoreBackend, layout: SeatLayout = .standard, cancellation: Bool = true,
        policy: BookingPolicy = BookingPolicy(), sharing: (any HoldfastStores)? = nil
    ) async throws -> Fixture {
        let stores: any HoldfastStores
        if let sharing { stores = sharing } else { stores = try await backend.makeStores() }
        let clock = ManualBookingClock()
        let catalog = CatalogService(stores: stores, clock: clock)
        let now = clock.now()
        let movie = Movie(movieId: UUID(), title: "Test Movie", language: "English", format: "2D", genres: ["Drama"], createdAt: now)
        try await catalog.saveMovie(movie)
        let theatre = Theatre(theatreId: UUID(), name: "Test Theatre", cancellationAvailable: cancellation, createdAt: now)
        try await catalog.saveTheatre(theatre)
        let screen = Screen(layoutId: UUID(), theatreId: theatre.theatreId, screenName: "Screen 1", layout: layout, createdAt: now)
        try await catalog.saveScreen(screen)
        let prices = Dictionary(uniqueKeysWithValues: layout.categories.filter { $0 != SeatLayout.standardCategory }
            .map { ($0, Money(minorUnits: 40_000)) })
        let show = try await catalog.createShow(
            movieId: movie.movieId, layoutId: screen.layoutId, startTime: now.addingTimeInterval(86_400),
            price: Money(minorUnits: 25_000), categoryPrices: prices)
        return Fixture(
            stores: stores, clock: clock, catalog: catalog,
            booking: BookingService(stores: stores, clock: clock, policy: policy), theatre: theatre, show: show)
    }

    /// Seats with a live claim, by seat id.
    func liveClaims() async throws -> [String: SeatClaim] {
        let now = clock.now()
        let claims = try await stores.seatClaims(showId: show.showId).filter { $0.isLive(at: now) }
        return Dictionary(uniqueKeysWithValues: claims.map { ($0.seatId, $0) })
    }

    func hold(_ seats: [String], by user: String) async throws -> Hold {
        try await booking.createHold(showId: show.showId, seatIds: seats, quantity: seats.count, userId: user)
    }

    func order(_ seats: [String], by user: String) async throws -> Order {
        let hold = try await hold(seats, by: user)
        return try await booking.createOrder(holdId: hold.holdId, customer: Self.customer, userId: user)
    }
}

func code(of error: any Error) -> String? { (error as? HoldfastError)?.code }
