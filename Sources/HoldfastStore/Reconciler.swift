import Foundation
import HoldfastCore

/// Checks the booking invariants across the whole store and heals what can be healed: room nights'
/// `sold` against their bookings, overbooked nights (through the resolver), and confirmed orders against
/// their booked seats. A double sale cannot be healed; it is reported for a person to settle.
public struct Reconciler: Sendable {
    let stores: any HoldfastStores
    let clock: any BookingClock

    public init(stores: any HoldfastStores, clock: any BookingClock) {
        self.stores = stores
        self.clock = clock
    }

    /// One run; `heal: false` only reports. A healing run's report is kept (`reconciliationReports`).
    public func run(heal: Bool) async throws -> ReconciliationReport {
        let startedAt = clock.now()
        var checks = try await stores.reconcileRoomNights(heal: heal)
        checks.append(try await overbooking(heal: heal))
        checks += try await stores.reconcileSeats(heal: heal)
        let report = ReconciliationReport(startedAt: startedAt, finishedAt: clock.now(), checks: checks, healed: heal)
        if heal { try await stores.saveReconciliationReport(report) }
        return report
    }

    /// Nights sold beyond their rooms that are not yet escalated: the resolver moves or escalates them.
    private func overbooking(heal: Bool) async throws -> ReconciliationCheck {
        let limit = 10_000
        let before = try await stores.overbookedNights(limit: limit)
        var check = ReconciliationCheck(name: "room nights: none sold beyond its rooms unless escalated", examined: before.count)
        guard !before.isEmpty else { return check }
        var remaining = Set(before.map { "\($0.roomTypeId) \($0.night)" })
        if heal {
            let resolver = OverbookingResolver(stores: stores, clock: clock)
            // A pass handles a bounded number of nights; go on while passes make progress.
            var left = before.count
            while left > 0 {
                _ = try await resolver.resolve()
                let now = try await stores.overbookedNights(limit: limit)
                remaining = Set(now.map { "\($0.roomTypeId) \($0.night)" })
                if now.count >= left { break }
                left = now.count
            }
        }
        for night in before {
            check.record("room type \(night.roomTypeId) night \(night.night): sold \(night.sold) of \(night.sellable) in service, \(night.escalated) escalated",
                fixed: !remaining.contains("\(night.roomTypeId) \(night.night)"))
        }
        return check
    }
}
