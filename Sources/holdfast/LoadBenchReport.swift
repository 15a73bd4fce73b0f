import Foundation
import Histogram
import Synchronization

/// What the virtual users saw, per operation: answers by class and latencies in microseconds.
final class BenchStats: Sendable {
    struct Operation: Sendable {
        var latency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        /// The successful answers' alone: under contention they are the few that wrote, among many refusals.
        var okLatency = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var ok = 0
        /// 409/410: the seat or room went to someone else — expected under contention.
        var conflicts = 0
        var rateLimited = 0
        /// Other 4xx, 5xx, and requests that did not complete.
        var errors = 0

        mutating func record(status: Int, seconds: Double) {
            let micros = UInt64(max(1, seconds * 1_000_000))
            _ = latency.record(micros)
            switch status {
            case 200..<300:
                ok += 1
                _ = okLatency.record(micros)
            case 409, 410: conflicts += 1
            case 429: rateLimited += 1
            default: errors += 1
            }
        }
    }

    struct Snapshot: Sendable {
        var operations: [String: Operation]
        var soldSeats: [String: Int]
    }

    private let state = Mutex(Snapshot(operations: [:], soldSeats: [:]))
    private let soldOutFlag = Atomic<Bool>(false)

    func record(_ name: String, status: Int, seconds: Double) {
        state.withLock { state in
            // In place: a copy of the operation would copy its histogram's counts on every request.
            state.operations[name, default: Operation()].record(status: status, seconds: seconds)
        }
    }

    func sold(_ showId: String, seats: Int) {
        state.withLock { $0.soldSeats[showId, default: 0] += seats }
    }

    func snapshot() -> Snapshot { state.withLock { $0 } }

    var soldOut: Bool { soldOutFlag.load(ordering: .relaxed) }
    func markSoldOut() { soldOutFlag.store(true, ordering: .relaxed) }

    static func progress(_ now: Snapshot, since last: Snapshot, elapsed: Duration) -> String {
        let parts = now.operations.keys.sorted().map { name in
            let operation = now.operations[name]!
            let before = last.operations[name].map { $0.ok + $0.conflicts + $0.errors + $0.rateLimited } ?? 0
            let rate = operation.ok + operation.conflicts + operation.errors + operation.rateLimited - before
            return "\(name) \(operation.ok) ok/\(operation.conflicts) taken (\(rate)/s)"
        }
        let errors = now.operations.values.reduce(0) { $0 + $1.errors }
        let limited = now.operations.values.reduce(0) { $0 + $1.rateLimited }
        return String(format: "%5.0fs  ", elapsed.seconds) + parts.joined(separator: "  ") + (limited > 0 ? "  429 \(limited)" : "")
            + (errors > 0 ? "  errors \(errors)" : "")
    }
}

/// Correctness from the server's own data: the reconciler (dry run) finds nothing — no seat in two
/// confirmed orders, every booked seat a confirmed order's and every confirmed order's seats booked — and
/// every show the benchmark sold has exactly as many booked seats as the payments it was told succeeded.
struct BenchVerdict: Codable, Sendable {
    let reconcilerFindings: Int
    let bookedSeats: Int
    let paidSeats: Int
    var correct: Bool { reconcilerFindings == 0 && bookedSeats == paidSeats }

    static func check(api: BenchAPI, world: BenchWorld, stats: BenchStats) async throws -> BenchVerdict {
        let (status, report, _) = await api.call(.POST, "/admin/reconciliation?dryRun=true", admin: true)
        guard status == 200, let checks = report?["checks"] as? [[String: Any]] else { throw BenchFailure("reconciliation answered \(status)") }
        let findings = checks.reduce(0) { $0 + (($1["found"] as? Int) ?? 0) }
        var booked = 0
        for show in world.spreadShows {
            let (_, figures, _) = await api.call(.GET, "/admin/shows/\(show)/report", admin: true)
            booked += ((figures?["seats"] as? [String: Any])?["booked"] as? Int) ?? -1
        }
        return BenchVerdict(reconcilerFindings: findings, bookedSeats: booked, paidSeats: stats.snapshot().soldSeats.values.reduce(0, +))
    }
}

/// How far behind the server's outbox (confirmation mail, the gateway's callbacks, webhooks) was when the load
/// stopped, and how long it took to catch up: fast answers bought by leaving the outbox behind show here.
struct OutboxCatchUp: Codable, Sendable {
    /// Events not yet fanned out plus deliveries not yet made when the load stopped.
    let backlogAtEnd: Int
    /// Seconds from then until nothing was left (nil: not within a minute).
    let caughtUpSeconds: Double?

    static func measure(api: BenchAPI) async throws -> OutboxCatchUp {
        let started = ContinuousClock.now
        let atEnd = try await backlog(api)
        var left = atEnd
        while left > 0 {
            guard ContinuousClock.now - started < .seconds(60) else { return OutboxCatchUp(backlogAtEnd: atEnd, caughtUpSeconds: nil) }
            try await Task.sleep(for: .milliseconds(100))
            left = try await backlog(api)
        }
        return OutboxCatchUp(backlogAtEnd: atEnd, caughtUpSeconds: (ContinuousClock.now - started).seconds.inTenths)
    }

    /// Events not yet fanned out plus deliveries not yet made, as the server counts them now.
    private static func backlog(_ api: BenchAPI) async throws -> Int {
        let (status, backlog, _) = await api.call(.GET, "/admin/outbox", admin: true)
        guard status == 200, let unfanned = backlog?["unfanned"] as? Int, let pending = backlog?["pending"] as? Int else {
            throw BenchFailure("the outbox backlog answered \(status)")
        }
        return unfanned + pending
    }
}

extension Double {
    /// Rounded to one decimal, as the report shows figures.
    var inTenths: Double { (self * 10).rounded() / 10 }
}

/// The JSON report and the printed summary.
struct BenchResult: Encodable {
    struct Operation: Encodable {
        let count: Int
        let ok: Int
        let conflicts: Int
        let rateLimited: Int
        let errors: Int
        let perSecond: Double
        let p50Ms: Double
        let p95Ms: Double
        let p99Ms: Double
        let maxMs: Double
        /// The successful answers' p50 and p99 (nil: none succeeded).
        let okP50Ms: Double?
        let okP99Ms: Double?
    }

    let scenario: LoadBench.Scenario
    let users: Int
    /// Steps a second the users were paced at; nil: each started its next step at once.
    let rate: Double?
    let seconds: Double
    let operations: [String: Operation]
    /// Completed purchases (hold → order → pay) per second.
    let purchasesPerSecond: Double
    let outbox: OutboxCatchUp
    let verdict: BenchVerdict

    init(
        scenario: LoadBench.Scenario, users: Int, rate: Double?, elapsed: Duration, stats: BenchStats, outbox: OutboxCatchUp, verdict: BenchVerdict
    ) {
        let seconds = max(elapsed.seconds, 0.001)
        let snapshot = stats.snapshot()
        func ms(_ micros: UInt64) -> Double { (Double(micros) / 1_000).inTenths }
        self.scenario = scenario
        self.users = users
        self.rate = rate
        self.seconds = seconds.inTenths
        operations = snapshot.operations.mapValues { operation in
            let count = operation.ok + operation.conflicts + operation.rateLimited + operation.errors
            return Operation(
                count: count, ok: operation.ok, conflicts: operation.conflicts, rateLimited: operation.rateLimited, errors: operation.errors,
                perSecond: (Double(count) / seconds).inTenths,
                p50Ms: ms(operation.latency.valueAtPercentile(50)), p95Ms: ms(operation.latency.valueAtPercentile(95)),
                p99Ms: ms(operation.latency.valueAtPercentile(99)), maxMs: ms(operation.latency.max),
                okP50Ms: operation.ok == 0 ? nil : ms(operation.okLatency.valueAtPercentile(50)),
                okP99Ms: operation.ok == 0 ? nil : ms(operation.okLatency.valueAtPercentile(99)))
        }
        purchasesPerSecond = (Double(snapshot.operations["pay"]?.ok ?? 0) / seconds).inTenths
        self.outbox = outbox
        self.verdict = verdict
    }

    var summary: String {
        var lines = ["", "\(scenario.rawValue): \(users) users\(rate.map { " paced at \($0) steps/s" } ?? ""), \(seconds) s"]
        for (name, operation) in operations.sorted(by: { $0.key < $1.key }) {
            lines.append(String(
                format: "  %-8@ %7d req %8.1f/s  ok %6d  taken %6d  429 %5d  errors %4d   p50 %6.1f  p95 %6.1f  p99 %6.1f  max %7.1f ms",
                name as NSString, operation.count, operation.perSecond, operation.ok, operation.conflicts, operation.rateLimited, operation.errors,
                operation.p50Ms, operation.p95Ms, operation.p99Ms, operation.maxMs)
                + (operation.conflicts > 0 ? operation.okP99Ms.map { String(format: "   (ok p99 %.1f)", $0) } ?? "" : ""))
        }
        if operations["pay"] != nil { lines.append("  purchases (hold → order → pay): \(purchasesPerSecond)/s") }
        lines.append(
            "  outbox: \(outbox.backlogAtEnd) events and deliveries behind when the load stopped, "
                + (outbox.caughtUpSeconds.map { "caught up \($0) s later" } ?? "not caught up within a minute"))
        lines.append(
            "  correctness: reconciler findings \(verdict.reconcilerFindings), booked seats \(verdict.bookedSeats), paid seats \(verdict.paidSeats) — "
                + (verdict.correct ? "OK" : "WRONG"))
        return lines.joined(separator: "\n")
    }
}
