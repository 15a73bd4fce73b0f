import Foundation
import HoldfastCore
import HoldfastStore
import Synchronization
import Testing

/// A buyer who lost seats chooses again from the snapshot this instance already has; only "none left" waits for
/// a fresh check.
@Suite struct BestAvailableRetryTests {
    /// The store's seat-map reads, counted; `replayNext()` makes the next read answer what the first one did, as a
    /// check that read just before another instance's claim committed would.
    final class ReplayingSeatStore: LiveSeatStore {
        let store: any LiveSeatStore
        let reads = Atomic<Int>(0)
        private let first = Mutex<SeatMapRead?>(nil)
        private let replays = Atomic<Int>(0)

        init(_ store: any LiveSeatStore) { self.store = store }

        func replayNext() { replays.add(1, ordering: .relaxed) }

        func seatMapRead(showId: UUID, unless known: SeatMapStamp?) async throws -> SeatMapRead? {
            reads.add(1, ordering: .relaxed)
            if replays.load(ordering: .relaxed) > 0, let recorded = first.withLock({ $0 }) {
                replays.subtract(1, ordering: .relaxed)
                return SeatMapRead(stamp: recorded.stamp, changed: recorded.stamp == known ? nil : recorded.changed)
            }
            let read = try await store.seatMapRead(showId: showId, unless: known)
            first.withLock { if $0 == nil { $0 = read } }
            return read
        }

        func seatVersions(showId: UUID) async throws -> [SeatChange] { try await store.seatVersions(showId: showId) }
        func seatChanges(after version: Int64, limit: Int) async throws -> [SeatChange] {
            try await store.seatChanges(after: version, limit: limit)
        }
        func latestSeatVersion() async throws -> Int64 { try await store.latestSeatVersion() }
        func followSeatChanges(_ received: @escaping @Sendable (SeatChange) async -> Void) async throws {}
    }

    /// An instance of its own on the fixture's store, its seat-map reads through `reads`.
    static func instance(_ fixture: Fixture, reads: ReplayingSeatStore) -> BookingService {
        BookingService(
            stores: fixture.stores, clock: fixture.clock, policy: fixture.booking.policy,
            snapshots: SeatSnapshots(stores: reads, clock: fixture.clock))
    }

    @Test(arguments: StoreBackend.available)
    func aBuyerWhoLostSeatsToAnotherInstanceChoosesAgainWithoutAnotherCheck(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let reads = ReplayingSeatStore(fixture.stores)
            let here = Self.instance(fixture, reads: reads)
            let showId = fixture.show.showId
            _ = try await here.seatMap(showId: showId, caller: nil)
            let pair = try BestAvailable(count: 2, policy: fixture.booking.policy)
            // Another instance sells the best pair; this instance's next check read just before that committed.
            let elsewhere = try await fixture.booking.createBestAvailableHold(showId: showId, request: pair, userId: "elsewhere")
            reads.replayNext()

            let hold = try await here.createBestAvailableHold(showId: showId, request: pair, userId: "here")

            #expect(Set(hold.seatIds).isDisjoint(with: elsewhere.seatIds), "chose again, without the seats it lost")
            #expect(reads.reads.load(ordering: .relaxed) == 2, "the seat map and the first choice's check; none for the second")
            let claims = try await fixture.liveClaims()
            #expect(Set(hold.seatIds).allSatisfy { claims[$0]?.userId == "here" })
        }
    }

    @Test(arguments: StoreBackend.available)
    func aBuyerTurnedAwayByAnOldSnapshotIsAnsweredFromAFreshCheck(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend, layout: .grid(rows: 1, seatsPerRow: 6)) { fixture in
            let reads = ReplayingSeatStore(fixture.stores)
            let here = Self.instance(fixture, reads: reads)
            let showId = fixture.show.showId
            let left = try await fixture.hold(["A1", "A2"], by: "left")
            _ = try await fixture.hold(["A5", "A6"], by: "right")
            // The snapshot this instance keeps: only A3-A4 free. Then the left pair frees up and A3-A4 are sold.
            _ = try await here.seatMap(showId: showId, caller: nil)
            _ = try await fixture.booking.releaseHold(left.holdId, userId: "left")
            _ = try await fixture.hold(["A3", "A4"], by: "middle")
            reads.replayNext()

            let hold = try await here.createBestAvailableHold(
                showId: showId, request: try BestAvailable(count: 2, policy: fixture.booking.policy), userId: "here")

            #expect(hold.seatIds.sorted() == ["A1", "A2"], "the kept snapshot had no pair left; a fresh check found one")
            #expect(reads.reads.load(ordering: .relaxed) == 3)
        }
    }
}
