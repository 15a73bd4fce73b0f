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
        checks += try await payments(heal: heal)
        let report = ReconciliationReport(startedAt: startedAt, finishedAt: clock.now(), checks: checks, healed: heal)
        if heal { try await stores.saveReconciliationReport(report) }
        return report
    }

    /// Money: no payment SUCCEEDED without a confirmed order or a refund (healed by recording the refund);
    /// none PROCESSING for more than 15 minutes and no refund FAILED for good (reported: a person must ask the
    /// gateway or retry the refund).
    private func payments(heal: Bool) async throws -> [ReconciliationCheck] {
        let now = clock.now()
        let unbooked = try await stores.paidWithoutBooking(limit: 10_000)
        var owed = ReconciliationCheck(name: "payments: none kept without a confirmed order or a refund", examined: unbooked.count)
        for payment in unbooked {
            let fixed = heal ? try await stores.refundUnbookedPayment(payment.paymentId, now: now) : false
            owed.record("payment \(payment.paymentId) of \(payment.amount.text) for order \(payment.orderId)", fixed: fixed)
        }
        let stuck = try await stores.stuckPayments(before: now.addingTimeInterval(-15 * 60), limit: 1_000)
        var hanging = ReconciliationCheck(name: "payments: none still PROCESSING after 15 minutes", examined: stuck.count)
        for payment in stuck { hanging.record("payment \(payment.paymentId) for order \(payment.orderId) since \(payment.createdAt)", fixed: false) }
        let failed = try await stores.refunds(status: .failed, page: PageRequest(page: 1, pageSize: PageRequest.maxPageSize))
        var refunds = ReconciliationCheck(name: "refunds: none failed for good", examined: failed.total)
        for refund in failed.items { refunds.record("refund \(refund.refundId) of \(refund.amount.text): \(refund.lastError ?? "")", fixed: false) }
        refunds.found = failed.total
        return [owed, hanging, refunds]
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
