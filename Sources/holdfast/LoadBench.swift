import ArgumentParser
import AsyncHTTPClient
import Foundation
import HoldfastCore
import HoldfastServer
import Histogram
import NIOCore
import NIOHTTP1
import Synchronization

/// `holdfast bench`: virtual users drive a running server over HTTP, with progress every second, then
/// throughput and latency percentiles (HdrHistogram) per operation, a correctness check from the server's own
/// data, and a JSON report. Run the server with `RATE_LIMITS=false`.
struct LoadBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Load a running server with virtual users; throughput, latency percentiles and a correctness check.")

    enum Scenario: String, ExpressibleByArgument, CaseIterable, Codable {
        /// Everyone races for one show's seats, 1-4 each (named at random or best available), hold → order → pay,
        /// until it is sold out.
        case hotShow = "hot-show"
        /// The same purchase over many shows.
        case spread
        /// Seat-map reads of one show.
        case seatmap
        /// Hotel search, then booking what it found.
        case hotel
        /// Seat-map reads, purchases and hotel searches together (6:3:1).
        case mixed
    }

    @Option(help: "The server.") var url = "http://127.0.0.1:8080"
    @Option(help: "hot-show, spread, seatmap, hotel or mixed.") var scenario: Scenario = .hotShow
    @Option(help: "Concurrent virtual users.") var users = 64
    @Option(help: "Seconds to run at most (hot-show ends when sold out).") var duration = 20
    @Option(help: "Seats of each show the benchmark creates (rows of 10).") var seats = 100
    @Option(help: "Shows for spread.") var shows = 20
    @Option(help: "Write the JSON report here.") var report: String?
    @Option(help: ArgumentHelp(
        "Steps a second (a purchase, a seat-map read...) shared by the users on a fixed schedule, instead of each starting its next at once.",
        discussion: "A step that starts late, behind a slow one, counts its wait in its first request's latency."))
    var rate: Double?

    func run() async throws {
        guard (1...2_000).contains(users), (1...3_600).contains(duration), (10...2_000).contains(seats), seats % 10 == 0 else {
            throw ValidationError("users 1-2000, duration 1-3600 s, seats 10-2000 in rows of 10")
        }
        if let rate, !(0.1...100_000).contains(rate) { throw ValidationError("rate 0.1-100000 steps a second") }
        let settings = try Settings()
        let authenticator = await Authenticator(secret: settings.server.jwtSecret, devMode: false)
        let expires = Date().addingTimeInterval(3_600)
        var pool = HTTPClient.Configuration.ConnectionPool()
        pool.concurrentHTTP1ConnectionsPerHostSoftLimit = users + 4
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(connectionPool: pool))
        do {
            let api = BenchAPI(http: http, base: url, admin: try await authenticator.token(userId: "bench-admin", role: .admin, expiresAt: expires))
            let world = try await BenchWorld.prepare(scenario, api: api, seats: seats, shows: shows)
            print("holdfast bench: \(scenario.rawValue), \(users) users\(rate.map { " at \($0) steps/s" } ?? ""), up to \(duration) s against \(url)")
            var buyers: [BenchAPI] = []
            for index in 0..<users {
                buyers.append(api.as(try await authenticator.token(userId: "vu-\(index)", role: .customer, expiresAt: expires)))
            }
            // Connections are opened before the clock starts, as a buyer's browser has one open from loading the page.
            await withTaskGroup(of: Void.self) { group in
                for buyer in buyers { group.addTask { _ = await buyer.call(.GET, "/health") } }
            }
            let stats = BenchStats()
            let started = ContinuousClock.now
            let deadline = started + .seconds(duration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                let schedule = rate.map { BenchSchedule(rate: $0, users: users, started: started) }
                for (index, buyer) in buyers.enumerated() {
                    group.addTask {
                        var user = VirtualUser(api: buyer, world: world, stats: stats, index: index)
                        var step = 0
                        while ContinuousClock.now < deadline, !stats.soldOut, !Task.isCancelled {
                            if let due = schedule?.start(of: step, by: index) {
                                if due >= deadline { break }
                                try? await Task.sleep(until: due)
                                user.lateness = max(0, (ContinuousClock.now - due).seconds)
                            }
                            await user.step(scenario)
                            step += 1
                        }
                    }
                }
                group.addTask {
                    var last = stats.snapshot()
                    while ContinuousClock.now < deadline, !stats.soldOut {
                        try await Task.sleep(for: .seconds(1))
                        let now = stats.snapshot()
                        print(BenchStats.progress(now, since: last, elapsed: ContinuousClock.now - started))
                        last = now
                        if world.hotShow != nil, scenario == .hotShow, try await api.available(world.hotShow!) == 0 { stats.markSoldOut() }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = ContinuousClock.now - started
            let outbox = try await OutboxCatchUp.measure(api: api)
            let verdict = try await BenchVerdict.check(api: api, world: world, stats: stats)
            let result = BenchResult(
                scenario: scenario, users: users, rate: rate, elapsed: elapsed, stats: stats, outbox: outbox, verdict: verdict)
            print(result.summary)
            if let report {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try encoder.encode(result).write(to: URL(fileURLWithPath: report))
                print("report: \(report)")
            }
            for buyer in buyers { await buyer.connection?.close() }
            try await http.shutdown()
            if !verdict.correct { throw ExitCode(1) }
        } catch {
            try? await http.shutdown()
            throw error
        }
    }
}

/// The server's HTTP API as the benchmark uses it.
struct BenchAPI: Sendable {
    let http: HTTPClient
    let base: String
    let admin: String
    var token: String?
    /// A virtual user's own connection (plain http); nil: requests go through the pooled client.
    var connection: BenchConnection?

    /// The API as a virtual user holding `token`, on a connection of its own.
    func `as`(_ token: String) -> BenchAPI {
        var copy = self
        copy.token = token
        copy.connection = BenchConnection(base: base)
        return copy
    }

    /// (status, parsed JSON object or nil, seconds) — status 0 when the request failed to complete. The JSON is read
    /// only for a success (`parse` false: never), so the load generator spends its share of the machine on requests,
    /// not on reading refusals and seat maps nobody looks at.
    func call(
        _ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, admin: Bool = false, parse: Bool = true
    ) async -> (Int, [String: Any]?, Double) {
        let authorization = "Bearer " + ((admin ? self.admin : token) ?? self.admin)
        let json = json.map(BenchJSON.encode)
        let started = ContinuousClock.now
        let status: Int
        let body: ByteBuffer
        do {
            if let connection, !admin {
                let answer = try await connection.send(method, path, authorization: authorization, json: json)
                (status, body) = (answer.status, answer.body)
            } else {
                var request = HTTPClientRequest(url: base + path)
                request.method = method
                request.headers.add(name: "Authorization", value: authorization)
                if let json {
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(bytes: json))
                }
                let response = try await http.execute(request, timeout: .seconds(30))
                body = try await response.body.collect(upTo: 4 * 1024 * 1024)
                status = Int(response.status.code)
            }
        } catch {
            return (0, nil, (ContinuousClock.now - started).seconds)
        }
        let seconds = (ContinuousClock.now - started).seconds
        guard parse, (200..<300).contains(status) else { return (status, nil, seconds) }
        return (status, (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any], seconds)
    }

    func available(_ showId: String) async throws -> Int {
        let (status, body, _) = await call(.GET, "/shows/\(showId)/seatmap")
        guard status == 200, let count = body?["availableSeats"] as? Int else { throw BenchFailure("seat map of \(showId): \(status)") }
        return count
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// What the benchmark set up on the server: its shows and, for hotels, a city and dates.
struct BenchWorld: Sendable {
    let hotShow: String?
    let spreadShows: [String]
    let rows: [String]
    let hotelCity: String?

    static func prepare(_ scenario: LoadBench.Scenario, api: BenchAPI, seats: Int, shows: Int) async throws -> BenchWorld {
        let letters = (65...90).map { String(UnicodeScalar(UInt8($0))) }
        let rows: [String] = (0..<(seats / 10)).map { index -> String in index < 26 ? letters[index] : "A" + letters[(index - 26) % 26] }
        let needsShows = scenario != .hotel
        var made: [String] = []
        if needsShows {
            let (_, theatre, _) = await api.call(.POST, "/admin/theatres", json: ["name": "Bench Cinema", "timeZone": "UTC"], admin: true)
            let layout: [String: Any] = ["rows": rows.map { ["label": $0, "category": "STANDARD", "seats": Array(1...10)] as [String: Any] }]
            let (_, screen, _) = await api.call(
                .POST, "/admin/theatres/\(theatre?["theatreId"] as? String ?? "")/screens", json: ["screenName": "Bench", "layout": layout], admin: true)
            let (_, movies, _) = await api.call(.GET, "/movies?pageSize=1")
            guard let layoutId = screen?["layoutId"] as? String,
                let movieId = ((movies?["movies"] as? [[String: Any]])?.first)?["movieId"] as? String
            else { throw BenchFailure("could not set up the bench show (admin token accepted? JWT_SECRET the server's?)") }
            let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3 * 86_400))
            for _ in 0..<(scenario == .spread ? shows : 1) {
                let (status, show, _) = await api.call(
                    .POST, "/admin/shows", json: ["movieId": movieId, "layoutId": layoutId, "startTime": start, "price": 200], admin: true)
                guard status == 201, let id = show?["showId"] as? String else { throw BenchFailure("could not create a show: \(status)") }
                made.append(id)
            }
        }
        return BenchWorld(
            hotShow: made.first, spreadShows: made, rows: rows, hotelCity: scenario == .hotel || scenario == .mixed ? "Goa" : nil)
    }
}

/// One virtual user: what it does in each step of a scenario.
struct VirtualUser {
    let api: BenchAPI
    let world: BenchWorld
    let stats: BenchStats
    let index: Int
    var generator = SystemRandomNumberGenerator()
    var attempts = 0
    var onlySingles = false
    /// How late the step under way started on its schedule; counted into its first request's latency (as a buyer
    /// waits through it), so a slow server cannot hide its queue by holding the load generator back.
    var lateness = 0.0

    mutating func step(_ scenario: LoadBench.Scenario) async {
        switch scenario {
        case .hotShow: await purchase(world.hotShow!)
        case .spread: await purchase(world.spreadShows.randomElement(using: &generator)!)
        case .seatmap: await readSeatMap(world.hotShow!)
        case .hotel: await bookHotel()
        case .mixed:
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<6: await readSeatMap(world.hotShow!)
            case 6..<9: await purchase(world.hotShow!)
            default: _ = await search()
            }
        }
    }

    /// One request, counted under `operation`. A polite client: told to slow down (429, Retry-After ≥ 1 s), it
    /// waits a second and asks again (up to five times), so a purchase under way is not abandoned.
    mutating func call(_ operation: String, _ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, parse: Bool = true) async -> (Int, [String: Any]?) {
        for _ in 0..<5 {
            let (status, body, seconds) = await api.call(method, path, json: json, parse: parse)
            stats.record(operation, status: status, seconds: seconds + lateness)
            lateness = 0
            guard status == 429 else { return (status, body) }
            try? await Task.sleep(for: .seconds(1))
        }
        return (429, nil)
    }

    /// Every other attempt names seats picked at random; the others ask for the best available (a single seat
    /// after being told no block of the size is left), as buyers do once the seats they wanted are gone.
    mutating func purchase(_ showId: String) async {
        var count = Int.random(in: 1...4, using: &generator)
        attempts += 1
        let request: [String: Any]
        if attempts % 2 == 0 {
            if onlySingles { count = 1 }
            request = ["showId": showId, "quantity": count]
        } else {
            let row = world.rows.randomElement(using: &generator)!
            let first = Int.random(in: 1...(11 - count), using: &generator)
            request = ["showId": showId, "seatIds": (first..<(first + count)).map { "\(row)\($0)" }]
        }
        let (held, hold) = await call("hold", .POST, "/holds", json: request)
        if held == 409, request["quantity"] != nil { onlySingles = true }
        guard held == 201, let holdId = hold?["holdId"] as? String else { return }
        let customer: [String: Any] = ["name": "Bench User", "email": "vu\(index)@example.com", "phone": "9876543210"]
        let (ordered, order) = await call("order", .POST, "/orders", json: ["holdId": holdId, "customer": customer])
        guard ordered == 201, let orderId = order?["orderId"] as? String else { return }
        let (paid, _) = await call("pay", .POST, "/orders/\(orderId)/confirm-payment", json: ["paymentToken": "tok_success"])
        if paid == 200 { stats.sold(showId, seats: (hold?["seatIds"] as? [String])?.count ?? count) }
    }

    mutating func readSeatMap(_ showId: String) async {
        _ = await call("seatmap", .GET, "/shows/\(showId)/seatmap", parse: false)
    }

    /// A search for a random stay in the bench city; answers a room type and its dates when any is free.
    mutating func search() async -> (roomType: String, checkIn: String, checkOut: String)? {
        let day = Int.random(in: 10...200, using: &generator)
        let checkIn = CalendarDate(Date().addingTimeInterval(Double(day) * 86_400), in: .gmt)
        let checkOut = checkIn.adding(days: Int.random(in: 1...4, using: &generator))
        let (_, body) = await call("search", .GET, "/hotels/search?city=\(world.hotelCity ?? "Goa")&checkIn=\(checkIn)&checkOut=\(checkOut)")
        guard let results = body?["results"] as? [[String: Any]], let pick = results.randomElement(using: &generator),
            let roomType = (pick["roomType"] as? [String: Any])?["roomTypeId"] as? String
        else { return nil }
        return (roomType, checkIn.description, checkOut.description)
    }

    mutating func bookHotel() async {
        guard let (roomType, checkIn, checkOut) = await search() else { return }
        let guest: [String: Any] = ["name": "Bench Guest", "email": "vu\(index)@example.com"]
        _ = await call("book", .POST, "/book", json: ["roomTypeId": roomType, "checkIn": checkIn, "checkOut": checkOut, "guests": 1, "guest": guest])
    }
}

/// Paced load: `rate` steps a second in all, each user's on a fixed schedule of its own, the users' interleaved.
struct BenchSchedule: Sendable {
    let rate: Double
    let users: Int
    let started: ContinuousClock.Instant

    /// When user `index` is due to start its `step`th step (counted from 0).
    func start(of step: Int, by index: Int) -> ContinuousClock.Instant {
        started + .seconds(Double(step * users + index) / rate)
    }
}
