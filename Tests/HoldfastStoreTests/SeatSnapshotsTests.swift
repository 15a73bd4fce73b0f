import Foundation
import HoldfastCore
import HoldfastStore
import Synchronization
import Testing

/// Callers that share a seat-map check share its answer — but not a failure that was only the checker's own.
@Suite struct SeatSnapshotsTests {
    /// A store whose first seat-map read waits until the test lets it go; like the real ones, a read from a
    /// cancelled task fails with `CancellationError`.
    final class GatedSeatStore: LiveSeatStore {
        let show = Show(
            showId: UUID(), movieId: UUID(), theatreId: UUID(), screenName: "Screen 1", startTime: Date(timeIntervalSince1970: 2_000_000_000),
            localDate: try! CalendarDate("2033-05-18"), price: Money(minorUnits: 20_000), layout: .standard,
            createdAt: Date(timeIntervalSince1970: 0))
        let gate = Latch()
        let reads = Atomic<Int>(0)

        func seatMapRead(showId: UUID, unless known: SeatMapStamp?) async throws -> SeatMapRead? {
            if reads.add(1, ordering: .relaxed).newValue == 1 { await gate.wait() }
            try Task.checkCancellation()
            let stamp = SeatMapStamp(showRevision: 1, changedSeats: 0, versionSum: 0, waitingRoom: false)
            return SeatMapRead(stamp: stamp, changed: stamp == known ? nil : (show, []))
        }

        func seatVersions(showId: UUID) async throws -> [SeatChange] { [] }
        func seatChanges(after version: Int64, limit: Int) async throws -> [SeatChange] { [] }
        func latestSeatVersion() async throws -> Int64 { 0 }
        func followSeatChanges(_ received: @escaping @Sendable (SeatChange) async -> Void) async throws {}
    }

    @Test func aCallerWhoGaveUpDoesNotHandItsFailedCheckToTheOthers() async throws {
        let store = GatedSeatStore()
        let snapshots = SeatSnapshots(stores: store, clock: ManualBookingClock())
        let showId = store.show.showId
        // The first caller's check waits at the store; two more callers queue behind it, the first of them cancelled.
        let first = Task { try await snapshots.current(showId) }
        try await Task.sleep(for: .milliseconds(50))
        let gaveUp = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await snapshots.current(showId)
        }
        try await Task.sleep(for: .milliseconds(50))
        let patient = Task { try await snapshots.current(showId) }
        try await Task.sleep(for: .milliseconds(50))
        store.gate.open()

        #expect(try await first.value.show.showId == showId)
        await #expect(throws: CancellationError.self) { try await gaveUp.value }
        let snapshot = try await patient.value
        #expect(snapshot.show.showId == showId, "the patient caller got a check of its own")
    }

    @Test func seatsThisInstanceClaimedSinceTheKeptSnapshotWasCheckedCountAsTakenUntilTheNextCheck() async throws {
        let store = GatedSeatStore()
        store.gate.open()
        let snapshots = SeatSnapshots(stores: store, clock: ManualBookingClock())
        let showId = store.show.showId
        snapshots.noteClaimed(["A1"], of: showId, by: "early")
        let checked = try await snapshots.current(showId)
        #expect(snapshots.claimedSince(checked, except: "someone").isEmpty, "claimed before the check: in the snapshot")

        snapshots.noteClaimed(["A2", "A3"], of: showId, by: "buyer")
        snapshots.noteClaimed(["B1"], of: showId, by: "other")
        let kept = try #require(snapshots.latest(showId))
        #expect(kept.checkedSince == checked.checkedSince, "the kept snapshot, without another check")
        #expect(store.reads.load(ordering: .relaxed) == 1)
        #expect(snapshots.claimedSince(kept, except: "someone") == ["A2", "A3", "B1"])
        #expect(snapshots.claimedSince(kept, except: "buyer") == ["B1"], "a buyer's own seats are theirs to choose again")

        let rechecked = try await snapshots.current(showId)
        #expect(rechecked.checkedSince > kept.checkedSince)
        #expect(snapshots.claimedSince(rechecked, except: "someone").isEmpty, "the next check has them")
        #expect(snapshots.claimedSince(kept, except: "someone").isEmpty, "and they are forgotten")
    }
}
