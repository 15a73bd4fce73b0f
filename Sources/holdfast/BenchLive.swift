import ArgumentParser
import Foundation
import HoldfastCore
import HoldfastServer
import HoldfastStore
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import HummingbirdWSClient
import Logging
import Synchronization

/// Measures live fan-out on loopback: `--clients` WebSockets subscribe to one conversation of a server
/// started in this process, messages are committed at `--rate`, and the time from handing each message to
/// the service (its transaction, then the push) to its receipt by every client is reported as percentiles.
struct BenchLive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-live", abstract: "Fan-out latency from commit to WebSocket receipt (p50/p95/p99) with many clients on one conversation.")

    enum Target: String, ExpressibleByArgument { case conversation, show }

    @Option(help: "What the clients follow: one conversation's messages, or one show's seat map (each message is then a one-seat hold).")
    var target: Target = .conversation
    @Option(help: "Connected WebSocket clients.") var clients = 1_000
    @Option(help: "Messages to send.") var messages = 100
    @Option(help: "Messages per second.") var rate = 20
    @OptionGroup var store: StoreOptions

    func run() async throws {
        guard (1...5_000).contains(clients), (1...10_000).contains(messages), (1...1_000).contains(rate) else {
            throw ValidationError("clients 1-5000, messages 1-10000, rate 1-1000")
        }
        if target == .show, messages > 2_600 { throw ValidationError("a show has 2,600 seats at most: messages ≤ 2600") }
        let logger = benchLogger()
        let scratch = try ScratchStore(store, logger: benchLogger)
        defer { scratch.remove() }
        let backend = scratch.backend, settings = scratch.settings
        let bound = BoundPort()
        let clock = SystemBookingClock()
        let receipts = LiveReceipts()
        let sentAt = SentTimes(count: messages)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in backend.services { group.addTask { try await service.run() } }
            let stores = backend.stores
            try await stores.migrate()
            let dependencies = try await HoldfastDependencies(configuration: settings.server, stores: stores, clock: clock)
            let code = "BENCH-\(UUID().uuidString.prefix(8))"
            _ = try await dependencies.conversations.register(code: code, participants: [
                Participant(userId: "bench-sender", role: "driver"), Participant(userId: "bench-rider", role: "passenger"),
            ])
            let token = try await dependencies.authenticator.token(userId: "bench-watch", role: .admin, expiresAt: clock.now().addingTimeInterval(3_600))
            let app = Application(
                router: buildRouter(dependencies), server: .http1WebSocketUpgrade(webSocketRouter: buildWebSocketRouter(dependencies)),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in await bound.set(channel.localAddress?.port ?? 0) }, logger: logger)
            group.addTask { try await app.run() }
            group.addTask { try await LiveRelay(dependencies: dependencies, logger: logger).run() }
            group.addTask { try await SeatFeed(dependencies: dependencies, logger: logger).run() }
            let show = try await BenchCatalog.show(CatalogService(stores: stores, clock: clock), seats: messages)
            let seats = show.layout.seats.map(\.seatId)
            let subscribe = target == .conversation
                ? #"{"action":"subscribe","booking_code":"\#(code)"}"# : #"{"action":"watch_show","show_id":"\#(show.showId)"}"#
            let port = try await bound.value()
            print("connecting \(clients) WebSocket clients to one \(target.rawValue) on \(backend.description)…")
            let configuration = WebSocketClientConfiguration(additionalHeaders: [.authorization: "Bearer \(token)"])
            for _ in 0..<clients {
                group.addTask {
                    try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws", configuration: configuration, logger: logger) { inbound, outbound, _ in
                        try await outbound.write(.text(subscribe))
                        for try await message in inbound.messages(maxSize: 1 << 16) {
                            guard case .text(let text) = message else { continue }
                            let arrived = Date()
                            if text.hasPrefix(#"{"seats""#) || text.contains(#""type":"subscribed""#) || text.contains(#""type":"seatmap""#) {
                                await receipts.ready()
                            } else if let index = SentTimes.index(in: text, seats: seats), let sent = sentAt[index] {
                                await receipts.record(arrived.timeIntervalSince(sent))
                            }
                        }
                    }
                }
            }
            let deadline = ContinuousClock.now + .seconds(120)
            while await receipts.readyCount < clients, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            print("\(await receipts.readyCount) subscribed; sending \(messages) messages at \(rate)/s")
            let sender = Speaker(userId: "bench-sender", isAdmin: false)
            let booking = BookingService(stores: stores, clock: clock, policy: BookingPolicy())
            let interval = Duration.nanoseconds(1_000_000_000 / rate)
            let start = ContinuousClock.now
            for index in 0..<messages {
                try await ContinuousClock().sleep(until: start + interval * index)
                sentAt[index] = Date()
                switch target {
                case .conversation: _ = try await dependencies.conversations.send(code, speaker: sender, text: "bench \(index)", type: .text)
                case .show: _ = try await booking.createHold(showId: show.showId, seatIds: [seats[index]], quantity: 1, userId: "bench-\(index)")
                }
            }
            let expected = messages * (await receipts.readyCount)
            let drain = ContinuousClock.now + .seconds(30)
            while await receipts.count < expected, ContinuousClock.now < drain { try await Task.sleep(for: .milliseconds(20)) }
            group.cancelAll()
        }
        let latencies = await receipts.latencies
        guard !latencies.isEmpty else { throw ValidationError("nothing arrived") }
        print("received \(latencies.count) of \(messages * clients) deliveries")
        print("\(target == .show ? "hold" : "send") → WebSocket receipt: \(LatencyReport.line(latencies))")
    }
}

/// What the benchmark's clients saw.
actor LiveReceipts {
    private(set) var latencies: [Double] = []
    private(set) var readyCount = 0

    var count: Int { latencies.count }

    func ready() { readyCount += 1 }

    func record(_ latency: Double) { latencies.append(latency) }
}

/// When each benchmark message was handed to the service (just before its transaction), by index.
final class SentTimes: Sendable {
    private let times: Mutex<[Date?]>

    init(count: Int) { times = Mutex(Array(repeating: nil, count: count)) }

    subscript(index: Int) -> Date? {
        get { times.withLock { $0.indices.contains(index) ? $0[index] : nil } }
        set { times.withLock { $0[index] = newValue } }
    }

    /// The N of "bench N" in a pushed message, or the index of the seat a pushed seat change names;
    /// found without parsing the JSON. Only a seat's first change (its hold) counts.
    static func index(in frame: String, seats: [String]) -> Int? {
        if let start = frame.range(of: "\"message\":\"bench ") { return Int(frame[start.upperBound...].prefix { $0.isNumber }) }
        guard frame.contains(#""state":"held""#), let start = frame.range(of: "\"seat_id\":\"") else { return nil }
        let seat = String(frame[start.upperBound...].prefix { $0 != "\"" })
        return seats.firstIndex(of: seat)
    }
}
