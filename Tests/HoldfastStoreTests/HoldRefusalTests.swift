import Foundation
import HoldfastCore
import HoldfastStore
import Testing

/// `BookingService.refusal` — what the server's fast lane answers without the router — refuses exactly what the hold
/// itself would refuse from the same snapshot, with the same error, and leaves everything else to it.
@Suite struct HoldRefusalTests {
    @Test(arguments: StoreBackend.available)
    func aRefusalIsTheHoldsOwnAnswerAndNothingElseIsRefused(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let booking = fixture.booking
            let showId = fixture.show.showId
            _ = try await booking.createHold(showId: showId, seatIds: ["C3", "C4"], quantity: 2, userId: "carol")
            var snapshot = try await booking.snapshots.current(showId)

            // Someone else's seat: the hold's own refusal.
            let refusal = try #require(booking.refusal(seatIds: ["C4", "C5"], quantity: 2, userId: "dave", in: snapshot))
            let thrown = await #expect(throws: HoldfastError.self) {
                try await booking.createHold(showId: showId, seatIds: ["C4", "C5"], quantity: 2, userId: "dave")
            }
            #expect(refusal.code == "SEATS_UNAVAILABLE" && refusal.seatIds == ["C4"])
            #expect(thrown?.code == refusal.code && thrown?.message == refusal.message && thrown?.seatIds == refusal.seatIds)

            // No block left within the price: the best available's own refusal.
            let cheap = try BestAvailable(count: 2, maxPrice: Money(minorUnits: 100), policy: booking.policy)
            let none = try #require(booking.refusal(cheap, userId: "dave", in: snapshot))
            let thrownNone = await #expect(throws: HoldfastError.self) {
                try await booking.createBestAvailableHold(showId: showId, request: cheap, userId: "dave")
            }
            #expect(none.code == "NOT_ENOUGH_SEATS_TOGETHER" && thrownNone?.code == none.code && thrownNone?.message == none.message)

            // What the hold would not refuse from the snapshot is not refused: a block that fits, the caller's own held
            // seats (the new hold replaces them), a bad request and a show no longer on sale (the hold answers those).
            let pair = try BestAvailable(count: 2, policy: booking.policy)
            #expect(booking.refusal(pair, userId: "dave", in: snapshot) == nil)
            #expect(booking.refusal(seatIds: ["C3", "C4", "C5"], quantity: 3, userId: "carol", in: snapshot) == nil)
            #expect(booking.refusal(seatIds: ["Z99"], quantity: 1, userId: "dave", in: snapshot) == nil)
            await #expect(throws: HoldfastError.self) {
                try await booking.createHold(showId: showId, seatIds: ["Z99"], quantity: 1, userId: "dave")
            }
            let replaced = try await booking.createHold(showId: showId, seatIds: ["C3", "C4", "C5"], quantity: 3, userId: "carol")
            #expect(replaced.seatIds == ["C3", "C4", "C5"])

            // A show with a waiting room: the buyer's admission comes first, so nothing is refused here.
            _ = try await fixture.stores.setWaitingRoom(showId: showId, admissionsPerMinute: 60, tokenMinutes: 10, now: fixture.clock.now())
            snapshot = try await booking.snapshots.current(showId)
            #expect(snapshot.hasWaitingRoom && booking.refusal(seatIds: ["C4"], quantity: 1, userId: "dave", in: snapshot) == nil)
            #expect(try await fixture.stores.removeWaitingRoom(showId: showId))

            // After the show started.
            fixture.clock.advance(by: 2 * 86_400)
            snapshot = try await booking.snapshots.current(showId)
            #expect(booking.refusal(seatIds: ["C4"], quantity: 1, userId: "dave", in: snapshot) == nil)
            let started = await #expect(throws: HoldfastError.self) {
                try await booking.createHold(showId: showId, seatIds: ["C4"], quantity: 1, userId: "dave")
            }
            #expect(started?.code != "SEATS_UNAVAILABLE")
        }
    }

    @Test func aHoldCheckedSinceItArrivedTakesThatSnapshotWithoutAnotherCheck() async throws {
        try await Fixture.with(.sqlite) { fixture in
            let reads = BestAvailableRetryTests.ReplayingSeatStore(fixture.stores)
            let here = BestAvailableRetryTests.instance(fixture, reads: reads)
            let showId = fixture.show.showId
            let arrived = ContinuousClock.now
            // The fast lane's check of the request, after it arrived.
            let checked = try await here.snapshots.current(showId)
            #expect(reads.reads.load(ordering: .relaxed) == 1 && checked.checkedSince >= arrived)

            let hold = try await here.createHold(showId: showId, seatIds: ["A1"], quantity: 1, userId: "dave", arrivedAt: arrived)
            #expect(hold.seatIds == ["A1"] && reads.reads.load(ordering: .relaxed) == 1, "the route took the lane's snapshot")
            let pair = try BestAvailable(count: 2, policy: here.policy)
            _ = try await here.createBestAvailableHold(showId: showId, request: pair, userId: "erin", arrivedAt: arrived)
            #expect(reads.reads.load(ordering: .relaxed) == 1)

            // A request that arrived after the newest check waits for a check of its own, and so does one with no arrival.
            _ = try await here.createHold(showId: showId, seatIds: ["B1"], quantity: 1, userId: "frank", arrivedAt: ContinuousClock.now)
            #expect(reads.reads.load(ordering: .relaxed) == 2)
            _ = try await here.createHold(showId: showId, seatIds: ["B2"], quantity: 1, userId: "grace")
            #expect(reads.reads.load(ordering: .relaxed) == 3)
        }
    }
}
