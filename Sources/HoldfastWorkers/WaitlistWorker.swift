import Foundation
import HoldfastCore
import HoldfastStore
import Logging
import Metrics
import ServiceLifecycle

/// Hands freed seats to the first in line of every waiting list, in one instance of the cluster at a time
/// (a lease in the store, renewed every round), so two instances never make offers for one list at once.
public struct WaitlistWorker: Service {
    static let job = "waitlist"

    let waitlist: WaitlistService
    let interval: Duration
    let owner: String
    let logger: Logger

    public init(waitlist: WaitlistService, interval: Duration = .seconds(1), owner: String = "waitlist-\(UUID().uuidString.prefix(8))", logger: Logger) {
        self.waitlist = waitlist
        self.interval = interval
        self.owner = owner
        self.logger = logger
    }

    public func run() async throws {
        await WorkerLoop.run("waiting lists", logger: logger, every: interval) { _ = try await tick() }
    }

    /// One round if this instance holds the lease; answers the offers made.
    @discardableResult
    public func tick() async throws -> [WaitlistEntry] {
        let now = waitlist.booking.clock.now()
        guard try await waitlist.booking.stores.claimJob(Self.job, owner: owner, until: now.addingTimeInterval(10), now: now) else { return [] }
        let offers = try await waitlist.offerFreedSeats()
        if !offers.isEmpty { Counter(label: "holdfast_waitlist_offers_total").increment(by: offers.count) }
        return offers
    }
}
