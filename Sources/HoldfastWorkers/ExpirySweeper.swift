import Foundation
import HoldfastCore
import HoldfastStore
import Logging
import Metrics
import ServiceLifecycle

/// Turns lapsed holds and orders into HoldExpired / OrderExpired every `interval`. Their seats are
/// already free for new claims; this makes expiry visible and sends the events.
public struct ExpirySweeper: Service {
    let stores: any HoldfastStores
    let clock: any BookingClock
    let interval: Duration
    let batch: Int
    let logger: Logger

    public init(stores: any HoldfastStores, clock: any BookingClock, interval: Duration = .seconds(1), batch: Int = 500, logger: Logger) {
        self.stores = stores
        self.clock = clock
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    public func run() async throws {
        await WorkerLoop.run("expiry sweep", logger: logger, every: interval) { _ = try await sweep() }
    }

    /// Expires everything due now, in batches; answers the totals.
    @discardableResult
    public func sweep() async throws -> (holds: Int, orders: Int) {
        var total = (holds: 0, orders: 0)
        while true {
            let swept = try await stores.expireDue(now: clock.now(), limit: batch)
            total.holds += swept.holds
            total.orders += swept.orders
            if swept.holds < batch && swept.orders < batch { break }
        }
        if total.holds > 0 { Counter(label: "holdfast_holds_expired_total").increment(by: total.holds) }
        if total.orders > 0 { Counter(label: "holdfast_orders_expired_total").increment(by: total.orders) }
        return total
    }
}
