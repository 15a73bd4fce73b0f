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
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let seen = stores.doorbell.count
                do {
                    try await check()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("overbooking check failed; retrying", metadata: ["error": "\(error)"])
                }
                // Shutdown cancels these waits: leave quietly, it is not a failure.
                if (try? await Task.sleep(for: minimumGap)) == nil { return }
                if await !stores.doorbell.wait(after: seen, upTo: interval) { return }
            }
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
