import Foundation
import HoldfastCore
import HoldfastStore
import Logging
import Metrics
import ServiceLifecycle

/// The hot overbooking checker (seed: within 30 s of a change): runs the resolver right after local
/// commits (at most every `minimumGap`) and every `interval` for other instances' changes.
public struct OverbookingWatch: Service {
    let resolver: OverbookingResolver
    let stores: any HoldfastStores
    let interval: Duration
    let minimumGap: Duration
    let logger: Logger

    public init(
        stores: any HoldfastStores, clock: any BookingClock, interval: Duration = .seconds(5), minimumGap: Duration = .milliseconds(250),
        logger: Logger
    ) {
        self.resolver = OverbookingResolver(stores: stores, clock: clock)
        self.stores = stores
        self.interval = interval
        self.minimumGap = minimumGap
        self.logger = logger
    }

    public func run() async throws {
        let doorbell = stores.doorbell, minimumGap = minimumGap, interval = interval
        // A commit made while a round runs ends the next pause at once (after the minimum gap).
        await WorkerLoop.run("overbooking check", logger: logger, mark: { doorbell.count }, round: { try await check() }) { seen in
            guard (try? await Task.sleep(for: minimumGap)) != nil else { return false }
            return await doorbell.wait(after: seen, upTo: interval)
        }
    }

    func check() async throws {
        let outcome = try await resolver.resolve()
        if outcome.reassigned > 0 { Counter(label: "holdfast_hotel_bookings_reassigned_total").increment(by: outcome.reassigned) }
        if outcome.escalated > 0 { Counter(label: "holdfast_hotel_bookings_escalated_total").increment(by: outcome.escalated) }
        if outcome.overbookedNights > 0 || outcome.restored > 0 {
            logger.notice("overbooking resolved", metadata: [
                "nights": "\(outcome.overbookedNights)", "reassigned": "\(outcome.reassigned)", "escalated": "\(outcome.escalated)",
                "restored": "\(outcome.restored)",
            ])
        }
    }
}
