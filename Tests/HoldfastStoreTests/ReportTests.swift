import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct ReportTests {
    func states(_ fixture: Fixture, _ seat: String) async throws -> [String] {
        try await fixture.stores.seatHistory(showId: fixture.show.showId, seatId: seat, limit: 100).map {
            "\($0.fromState)>\($0.toState) \($0.userId ?? "-")/\($0.previousUserId ?? "-")"
        }
    }

    @Test(arguments: StoreBackend.available)
    func everyChangeOfASeatIsInItsHistoryWhoeverMadeIt(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let hold = try await fixture.hold(["A1"], by: "alice")
            _ = try await fixture.booking.updateHold(hold.holdId, userId: "alice", seatIds: nil, quantity: nil, extend: true)
            let order = try await fixture.booking.createOrder(holdId: hold.holdId, customer: Fixture.customer, userId: "alice")
            _ = try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "alice")
            _ = try await fixture.booking.cancelOrder(order.orderId, userId: "alice")
            _ = try await fixture.hold(["A1"], by: "bob")
            #expect(try await states(fixture, "A1") == [
                "AVAILABLE>HELD alice/-", "HELD>PENDING alice/alice", "PENDING>BOOKED alice/alice", "BOOKED>AVAILABLE -/alice",
                "AVAILABLE>HELD bob/-",
            ])
            let entries = try await fixture.stores.seatHistory(showId: fixture.show.showId, seatId: "A1", limit: 100)
            #expect(entries[2].orderId == order.orderId && entries[0].holdId == order.holdId)
            #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.at <= $1.at })
            // A lapsed hold taken over by someone else: one change, from carol's claim to dave's.
            _ = try await fixture.hold(["A2"], by: "carol")
            fixture.clock.advance(by: 301)
            _ = try await fixture.hold(["A2"], by: "dave")
            #expect(try await states(fixture, "A2") == ["AVAILABLE>HELD carol/-", "HELD>HELD dave/carol"])
            #expect(try await fixture.stores.seatHistory(showId: fixture.show.showId, seatId: "A3", limit: 100).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func salesCountsFollowTheFunnel(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let paid = try await fixture.order(["B1", "B2"], by: "alice")
            _ = try await fixture.booking.confirmPayment(orderId: paid.orderId, userId: "alice")
            let confirmed = try await fixture.stores.order(paid.orderId, userId: "alice")
            _ = try await fixture.stores.checkIn(ticketCode: confirmed.ticketCode!, by: "door", door: nil, now: fixture.clock.now())
            _ = try await fixture.order(["C1"], by: "bob")  // will lapse unpaid
            _ = try await fixture.hold(["D1"], by: "carol")  // will lapse
            fixture.clock.advance(by: 301)
            _ = try await fixture.hold(["E1"], by: "dave")  // live
            let counts = try await fixture.stores.salesCounts(showId: fixture.show.showId, now: fixture.clock.now())
            #expect(counts.holds == [.converted: 2, .expired: 1, .held: 1])
            #expect(counts.orders == [.confirmed: 1, .expired: 1])
            #expect(counts.revenue == paid.amount && counts.checkedIn == 1 && counts.refunded == .zero)
            let map = try await fixture.booking.seatMap(showId: fixture.show.showId, caller: nil)
            let report = ShowReport(map: map, counts: counts)
            #expect(report.seats.booked == 2 && report.seats.held == 1 && report.seats.total == map.seats.count)
            #expect(report.funnel.holds == 4 && report.funnel.orders == 2 && report.funnel.paid == 1)
            #expect(report.funnel.holdToOrder == 0.5 && report.funnel.orderToPaid == 0.5 && report.funnel.holdToPaid == 0.25)
            #expect(report.holdExpiryRate == 0.25 && report.orderExpiryRate == 0.5)
        }
    }
}
