import ArgumentParser
import Foundation
import HoldfastCore
import HoldfastSQLite
import HoldfastStore
import HoldfastWorkers
import Hummingbird
import Logging
import ServiceLifecycle

/// Measures the outbox end to end on this machine: holds are committed at a steady rate on a fresh
/// store, a real dispatcher delivers each HoldCreated as a signed webhook to a receiver on loopback,
/// and the time from commit to receipt is reported as percentiles.
struct BenchOutbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-outbox", abstract: "Latency from commit to webhook receipt on loopback (p50/p95/p99).")

    @Option(help: "How many events to commit.") var events: Int = 1_000
    @Option(help: "Commits per second.") var rate: Int = 200
    @OptionGroup var store: StoreOptions

    func run() async throws {
        guard (1...2_500).contains(events), (1...5_000).contains(rate) else { throw ValidationError("events 1-2500, rate 1-5000") }
        let logger = benchLogger()
        let scratch = try ScratchStore(store, logger: benchLogger)
        defer { scratch.remove() }
        let backend = scratch.backend
        let received = Receipts()
        let bound = BoundPort()
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            await received.record(body: Data(buffer: body), at: Date())
            return .ok
        }
        let receiver = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in await bound.set(channel.localAddress?.port ?? 0) }, logger: logger)
        let client = WebhookHTTPClient.make()
        let clock = SystemBookingClock()
        print("committing \(events) holds at \(rate)/s on \(backend.description), delivering HoldCreated webhooks on loopback…")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in backend.services { group.addTask { try await service.run() } }
            group.addTask { try await receiver.run() }
            let stores = backend.stores
            try await stores.migrate()
            let port = try await bound.value()
            let catalog = CatalogService(stores: stores, clock: clock)
            let show = try await BenchCatalog.show(catalog, seats: events)
            try await stores.saveWebhook(WebhookSubscription(
                subscriptionId: UUID(), url: "http://127.0.0.1:\(port)/hook", eventTypes: ["HoldCreated"], secret: "bench-secret-0123456789", createdAt: clock.now()))
            let dispatcher = OutboxDispatcher(
                stores: stores, subscribers: [], httpClient: client, breakers: CircuitBreakers(clock: clock), clock: clock, logger: logger)
            group.addTask { try await dispatcher.run() }

            let booking = BookingService(stores: stores, clock: clock, policy: BookingPolicy())
            let seats = show.layout.seats.map(\.seatId)
            let interval = Duration.nanoseconds(1_000_000_000 / rate)
            let start = ContinuousClock.now
            for index in 0..<events {
                try await ContinuousClock().sleep(until: start + interval * index)
                _ = try await booking.createHold(showId: show.showId, seatIds: [seats[index]], quantity: 1, userId: "bench-\(index)")
                if index % max(1, events / 10) == 0 { print("  \(index)/\(events) committed, \(await received.count) received") }
            }
            let deadline = ContinuousClock.now + .seconds(30)
            while await received.count < events, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            group.cancelAll()
        }
        try await client.shutdown()
        let latencies = await received.latencies
        guard !latencies.isEmpty else { throw ValidationError("no webhook arrived") }
        print("received \(latencies.count)/\(events) webhooks")
        print("commit → webhook receipt: \(LatencyReport.line(latencies))")
    }
}

/// What the benchmark's receiver saw.
actor Receipts {
    private(set) var latencies: [Double] = []

    var count: Int { latencies.count }

    func record(body: Data, at time: Date) {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let text = json["occurredAt"] as? String,
            let committed = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        else { return }
        latencies.append(time.timeIntervalSince(committed))
    }
}

/// One show with at least `seats` seats, tomorrow.
enum BenchCatalog {
    static func show(_ catalog: CatalogService, seats: Int) async throws -> Show {
        let now = catalog.clock.now()
        let movie = Movie(movieId: UUID(), title: "Benchmark", createdAt: now)
        try await catalog.saveMovie(movie)
        let theatre = Theatre(theatreId: UUID(), name: "Bench Hall", createdAt: now)
        try await catalog.saveTheatre(theatre)
        let rows = min(26, max(1, (seats + 99) / 100))
        let screen = Screen(layoutId: UUID(), theatreId: theatre.theatreId, screenName: "Bench", layout: .grid(rows: rows, seatsPerRow: 100), createdAt: now)
        try await catalog.saveScreen(screen)
        return try await catalog.createShow(
            movieId: movie.movieId, layoutId: screen.layoutId, startTime: now.addingTimeInterval(86_400), price: Money(minorUnits: 100), categoryPrices: [:])
    }
}
