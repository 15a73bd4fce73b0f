import Foundation
import HoldfastCore
import HoldfastPostgres
import HoldfastSQLite
import HoldfastStore
import Logging
import PostgresNIO
import Testing

/// Every backend the shared store suite runs against: SQLite always, PostgreSQL when the test script
/// started one and exported its URL as HOLDFAST_TEST_POSTGRES_URL.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    static var available: [StoreBackend] { PostgresTestDatabase.serverURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, migrated, empty store that lives for the call.
    func withStores<T: Sendable>(_ body: @Sendable (any HoldfastStores) async throws -> T) async throws -> T {
        try await withSharedStores(count: 1) { try await body($0[0]) }
    }

    /// Several independent handles (connection pools) on one fresh database, as several processes would have.
    func withSharedStores<T: Sendable>(
        count: Int, migrated: Bool = true, _ body: @Sendable ([any HoldfastStores]) async throws -> T
    ) async throws -> T {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("holdfast-test-\(UUID().uuidString).sqlite").path
            let stores = try (0..<count).map { _ in try SQLiteStore(path: path) }
            if migrated { try await stores[0].migrate() }
            return try await body(stores)
        case .postgres:
            // A request's deadline (5 s) is the server's guard against a database gone; here a hundred tests share
            // the machine, and fifty transactions queued on one row may take longer than that without being wrong.
            return try await PostgresTestDatabase.withRunningStores(migrated: migrated) { configuration in
                (0..<count).map { _ in PostgresStore(configuration: configuration, logger: PostgresTestDatabase.logger, deadline: .seconds(30)) }
            } _: { stores in try await body(stores) }
        }
    }
}

/// A database of its own for each PostgreSQL test, created on the server the test script started.
enum PostgresTestDatabase {
    static let serverURL = ProcessInfo.processInfo.environment["HOLDFAST_TEST_POSTGRES_URL"]
    static let logger = Logger(label: "holdfast-test-postgres")

    /// `make`'s stores on a fresh database, running for the call, the first of them migrated (unless `migrated` is
    /// false).
    static func withRunningStores<T: Sendable>(
        migrated: Bool = true, _ make: @Sendable (PostgresClient.Configuration) -> [PostgresStore],
        _ body: @Sendable ([PostgresStore]) async throws -> T
    ) async throws -> T {
        try await withFreshDatabase { configuration in
            let stores = make(configuration)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores { group.addTask { try await store.run() } }
                defer { group.cancelAll() }
                if migrated { try await stores[0].migrate() }
                return try await body(stores)
            }
        }
    }

    static func withFreshDatabase<T: Sendable>(_ body: @Sendable (PostgresClient.Configuration) async throws -> T) async throws -> T {
        let server = try #require(serverURL, "HOLDFAST_TEST_POSTGRES_URL is not set")
        let admin = PostgresClient(configuration: try PostgresSettings(url: server, poolSize: 2, tls: .disable).clientConfiguration())
        let name = "hf_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            defer { group.cancelAll() }
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
            var configuration = try PostgresSettings(url: server, poolSize: 10, tls: .disable).clientConfiguration()
            configuration.database = name
            do {
                let result = try await body(configuration)
                try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
                return result
            } catch {
                _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
                throw error
            }
        }
    }
}

/// One movie at one theatre with one show tomorrow, on a fresh store, with a clock that moves when told.
struct Fixture: Sendable {
    let stores: any HoldfastStores
    let clock: ManualBookingClock
    let catalog: CatalogService
    let booking: BookingService
    let theatre: Theatre
    let show: Show

    static let customer = Customer(name: "Asha Rao", email: "asha@example.com", phone: "9876543210")

    /// Runs `body` with a fixture on a fresh PostgreSQL store, and does nothing when the tests have no PostgreSQL.
    static func withPostgres(_ body: @Sendable (Fixture, PostgresStore) async throws -> Void) async throws {
        guard StoreBackend.available.contains(.postgres) else { return }
        try await with(.postgres) { fixture in try await body(fixture, try #require(fixture.stores as? PostgresStore)) }
    }

    /// Runs `body` with a fixture on a fresh store of `backend` (or on `sharing`, when given).
    static func with<T: Sendable>(
        _ backend: StoreBackend, layout: SeatLayout = .standard, cancellation: Bool = true,
        policy: BookingPolicy = BookingPolicy(), sharing: (any HoldfastStores)? = nil,
        _ body: @Sendable (Fixture) async throws -> T
    ) async throws -> T {
        if let sharing {
            return try await body(try await make(stores: sharing, layout: layout, cancellation: cancellation, policy: policy))
        }
        return try await backend.withStores { stores in
            try await body(try await make(stores: stores, layout: layout, cancellation: cancellation, policy: policy))
        }
    }

    private static func make(stores: any HoldfastStores, layout: SeatLayout, cancellation: Bool, policy: BookingPolicy) async throws -> Fixture {
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

    /// A fixture on a fresh PostgreSQL database through a patient handle, and `count` more handles on it (as other
    /// instances would have), each with `deadline` and its shows' writes one at a time: the set-up and the checks
    /// cannot time out on a busy machine, the writes under test go through the others. Does nothing without PostgreSQL.
    static func withPostgresHandles(
        _ count: Int, deadline: Duration = .seconds(30), _ body: @Sendable (Fixture, [PostgresStore]) async throws -> Void
    ) async throws {
        guard StoreBackend.available.contains(.postgres) else { return }
        try await PostgresTestDatabase.withRunningStores { configuration in
            [PostgresStore(configuration: configuration, logger: PostgresTestDatabase.logger, deadline: .seconds(30))]
                + (0..<count).map { _ in
                    PostgresStore(configuration: configuration, logger: PostgresTestDatabase.logger, deadline: deadline, writesPerShow: 1)
                }
        } _: { stores in
            try await with(.postgres, sharing: stores[0]) { fixture in try await body(fixture, Array(stores.dropFirst())) }
        }
    }

    /// The same show and clock, served through `other` (another handle on the same database).
    func through(_ other: any HoldfastStores) -> Fixture {
        Fixture(
            stores: other, clock: clock, catalog: CatalogService(stores: other, clock: clock),
            booking: BookingService(stores: other, clock: clock, policy: booking.policy), theatre: theatre, show: show)
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
