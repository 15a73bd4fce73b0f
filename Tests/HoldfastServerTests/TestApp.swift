import Foundation
import HoldfastCore
import HoldfastSQLite
import HoldfastServer
import HoldfastStore
import HoldfastWorkers
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWebSocket
import Logging
import NIOCore
import Testing

/// A server on a fresh SQLite file with one show tomorrow on the seed's 10 x 10 layout, and a clock
/// that moves when told.
struct TestApp {
    static let secret = "test-secret-that-is-long-enough-for-hs256"
    static let paymentSecret = "test-payment-webhook-secret-32-bytes!"

    let dependencies: HoldfastDependencies
    let clock: ManualBookingClock
    let movie: Movie
    let theatre: Theatre
    let show: Show

    static func make(
        devMode: Bool = true, policy: BookingPolicy = BookingPolicy(), cancellation: Bool = true, paymentTimeout: Duration = .seconds(5),
        rateLimits: RateLimits = .off
    ) async throws -> TestApp {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("holdfast-http-\(UUID().uuidString).sqlite").path
        let stores = try SQLiteStore(path: path)
        try await stores.migrate()
        let clock = ManualBookingClock(Date(timeIntervalSince1970: 1_800_000_000))
        let catalog = CatalogService(stores: stores, clock: clock)
        let now = clock.now()
        let movie = Movie(
            movieId: UUID(), title: "Harbour Lights", about: "A test film.", rating: 8.2, durationMins: 120,
            ageRating: "UA", releaseDate: try CalendarDate("2027-01-01"), language: "English", format: "2D",
            genres: ["Drama"], createdAt: now)
        try await catalog.saveMovie(movie)
        let theatre = Theatre(theatreId: UUID(), name: "Test Cinema", cancellationAvailable: cancellation, createdAt: now)
        try await catalog.saveTheatre(theatre)
        let screen = Screen(layoutId: UUID(), theatreId: theatre.theatreId, screenName: "Screen 1", layout: .standard, createdAt: now)
        try await catalog.saveScreen(screen)
        let show = try await catalog.createShow(
            movieId: movie.movieId, layoutId: screen.layoutId, startTime: now.addingTimeInterval(86_400),
            price: Money(minorUnits: 25_000), categoryPrices: [:])
        var configuration = ServerConfiguration(
            devMode: devMode, jwtSecret: secret, policy: policy, maxBodyBytes: 4_096, paymentWebhookSecret: paymentSecret,
            paymentTimeout: paymentTimeout)
        configuration.rateLimits = rateLimits
        configuration.port = 0
        let dependencies = try await HoldfastDependencies(
            configuration: configuration, stores: stores, clock: clock, gateway: SimulatedGateway(hang: .seconds(2)))
        return TestApp(dependencies: dependencies, clock: clock, movie: movie, theatre: theatre, show: show)
    }

    func test(
        _ mode: TestingSetup = .router, logger: Logger? = nil, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let logger = logger ?? {
            var quiet = Logger(label: "holdfast-test")
            quiet.logLevel = .warning
            return quiet
        }()
        try await buildApplication(dependencies, logger: logger).test(mode, body)
    }

    func token(_ user: String, role: Identity.Role = .customer, ttl: TimeInterval = 3_600) async throws -> String {
        try await dependencies.authenticator.token(userId: user, role: role, expiresAt: Date().addingTimeInterval(ttl))
    }
}

/// Parsed JSON of a response, for assertions.
struct JSONBody: @unchecked Sendable {
    let value: Any

    init(_ buffer: ByteBuffer) throws {
        value = try JSONSerialization.jsonObject(with: Data(buffer: buffer), options: [.fragmentsAllowed])
    }

    subscript(key: String) -> JSONBody? {
        (value as? [String: Any])?[key].map { JSONBody(raw: $0) }
    }

    subscript(index: Int) -> JSONBody? {
        guard let array = value as? [Any], array.indices.contains(index) else { return nil }
        return JSONBody(raw: array[index])
    }

    private init(raw: Any) { value = raw }

    var string: String? { value as? String }
    var int: Int? { value as? Int }
    var double: Double? { (value as? NSNumber)?.doubleValue }
    var bool: Bool? { value as? Bool }
    var array: [JSONBody] { (value as? [Any])?.map { JSONBody(raw: $0) } ?? [] }
    var strings: [String] { array.compactMap(\.string) }
}

extension TestResponse {
    var json: JSONBody { get throws { try JSONBody(body) } }
    var text: String { String(buffer: body) }
    var errorCode: String? { try? json["error"]?["code"]?.string }
}

/// Request helpers: `user` becomes `x-user-id`, `bearer` an Authorization header.
extension TestClientProtocol {
    /// A call signed as Holdfast signs webhooks (the payment gateway's callbacks, a PMS's pushes).
    func signedCall(_ method: HTTPRequest.Method, _ uri: String, json body: String, secret: String, at time: Date) async throws -> TestResponse {
        let timestamp = String(Int(time.timeIntervalSince1970))
        let signature = "v1=" + WebhookSubscriber.signature(secret: secret, timestamp: timestamp, body: Array(body.utf8))
        return try await call(
            method, uri, json: body,
            headers: [HTTPField.Name(WebhookSubscriber.timestampHeader)!: timestamp, HTTPField.Name(WebhookSubscriber.signatureHeader)!: signature])
    }

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, user: String? = nil, bearer: String? = nil, json: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if let user { headers[HTTPField.Name("x-user-id")!] = user }
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    func hold(_ app: TestApp, _ seats: [String], user: String) async throws -> TestResponse {
        let list = seats.map { "\"\($0)\"" }.joined(separator: ",")
        return try await call(.post, "/holds", user: user, json: #"{"showId":"\#(app.show.showId)","seatIds":[\#(list)],"quantity":\#(seats.count)}"#)
    }

    func order(holdId: String, user: String) async throws -> TestResponse {
        try await call(.post, "/orders", user: user, json: #"{"holdId":"\#(holdId)","customer":{"name":"Asha Rao","email":"asha@example.com","phone":"9876543210"}}"#)
    }
}
