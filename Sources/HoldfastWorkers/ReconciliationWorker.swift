import Foundation
import HoldfastCore
import HoldfastStore
import Logging
import Metrics
import ServiceLifecycle

/// Runs the reconciler every `interval` in one instance of the cluster at a time (a lease in the store).
public struct ReconciliationWorker: Service {
    static let job = "reconcile"

    let reconciler: Reconciler
    let stores: any HoldfastStores
    let clock: any BookingClock
    let interval: Duration
    let owner: String
    let logger: Logger

    public init(
        stores: any HoldfastStores, clock: any BookingClock, interval: Duration = .seconds(300),
        owner: String = "reconciler-\(UUID().uuidString.prefix(8))", logger: Logger
    ) {
        self.reconciler = Reconciler(stores: stores, clock: clock)
        self.stores = stores
        self.clock = clock
        self.interval = interval
        self.owner = owner
        self.logger = logger
    }

    public func run() async throws {
        await WorkerLoop.run("reconciliation", logger: logger, every: interval) { _ = try await runIfDue() }
    }

    /// Runs unless another instance holds this round's lease; nil when it did not run.
    public func runIfDue() async throws -> ReconciliationReport? {
        let now = clock.now()
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        // Held a little less than one round, so the next round is free to whoever comes first.
        guard try await stores.claimJob(Self.job, owner: owner, until: now.addingTimeInterval(seconds * 0.9), now: now) else { return nil }
        let started = ContinuousClock.now
        let report = try await reconciler.run(heal: true)
        let elapsed = ContinuousClock.now - started
        Gauge(label: "holdfast_reconciliation_found").record(report.found)
        Gauge(label: "holdfast_reconciliation_unfixed").record(report.found - report.fixed)
        Timer(label: "holdfast_reconciliation_duration_seconds", preferredDisplayUnit: .seconds).record(duration: elapsed)
        let level: Logger.Level = report.found == 0 ? .info : (report.clean ? .notice : .error)
        logger.log(level: level, "reconciliation finished", metadata: [
            "found": "\(report.found)", "fixed": "\(report.fixed)", "elapsed": "\(elapsed)", "report": "\(report.reportId)",
        ])
        return report
    }
}
