import Foundation
import HoldfastCore
@testable import HoldfastPostgres
import HoldfastStore
import Synchronization
import Testing

/// One show's holds, orders and settlements a few at a time, claims first; other shows never wait for it.
@Suite struct ShowWriteQueueTests {
    final class Shared<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
    }

    /// Waits (briefly) until `show` has `waiting` writes queued.
    static func until(_ queue: ShowWriteQueue, _ show: UUID, waiting: Int) async throws {
        try #require(try await eventually { queue.writes(on: show).waiting == waiting })
    }

    /// A write that keeps its place in `place`'s lane, once it runs, until `release` opens.
    static func occupy(_ queue: ShowWriteQueue, _ place: ShowWriteQueue.Place) async -> (busy: Task<Void, any Error>, release: Latch) {
        let (started, release) = (Latch(), Latch())
        let busy = Task { try await queue.run(place) { started.open(); await release.wait() } }
        await started.wait()
        return (busy, release)
    }

    @Test func atMostWidthWritesOfAShowRunAtOnceAndAnotherShowDoesNotWaitForThem() async throws {
        let queue = ShowWriteQueue(width: 2)
        let (show, other) = (UUID(), UUID())
        let release = Latch()
        let running = Shared((now: 0, most: 0))
        let writes = (0..<6).map { index in
            Task {
                try await queue.run(.claim(show)) {
                    running.value.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                    await release.wait()
                    running.value.withLock { $0.now -= 1 }
                    return index
                }
            }
        }
        try await Self.until(queue, show, waiting: 4)
        #expect(queue.writes(on: show).running == 2)
        #expect(try await queue.run(.claim(other)) { "elsewhere" } == "elsewhere", "another show's lane is its own")

        release.open()
        var answers: [Int] = []
        for write in writes { answers.append(try await write.value) }
        #expect(answers == Array(0..<6))
        #expect(running.value.withLock { $0.most } == 2)
        #expect(queue.writes(on: show) == (0, 0), "an idle show keeps no lane")
    }

    @Test func purchasesLeaveOnePlaceToClaims() async throws {
        let queue = ShowWriteQueue(width: 3)
        let show = UUID()
        let release = Latch()
        let started = Shared(0)
        let purchases = (0..<3).map { _ in
            Task { try await queue.run(.purchase(show)) { started.value.withLock { $0 += 1 }; await release.wait() } }
        }
        try await Self.until(queue, show, waiting: 1)
        #expect(queue.writes(on: show).running == 2, "two purchases run, the third waits with a place free")
        #expect(try await queue.run(.claim(show)) { "claimed" } == "claimed", "a claim takes the free place at once")
        #expect(queue.writes(on: show) == (2, 1))

        // Released, the purchase that waited runs too.
        release.open()
        for purchase in purchases { try await purchase.value }
        #expect(started.value.withLock { $0 } == 3)
        #expect(queue.writes(on: show) == (0, 0))
    }

    @Test func claimsQueuedOnAShowGoBeforeItsPurchasesEachInArrivalOrder() async throws {
        let queue = ShowWriteQueue(width: 1)
        let show = UUID()
        let (busy, release) = await Self.occupy(queue, .purchase(show))

        let order = Shared<[String]>([])
        var queued: [Task<Void, any Error>] = []
        for (name, place) in [("order 1", ShowWriteQueue.Place.purchase(show)), ("claim 1", .claim(show)), ("order 2", .purchase(show)),
            ("claim 2", .claim(show))]
        {
            queued.append(Task { try await queue.run(place) { order.value.withLock { $0.append(name) } } })
            try await Self.until(queue, show, waiting: queued.count)
        }
        release.open()
        try await busy.value
        for write in queued { try await write.value }
        #expect(order.value.withLock { $0 } == ["claim 1", "claim 2", "order 1", "order 2"])
    }

    @Test func aWriteCancelledWhileItWaitsLeavesTheQueueWithoutRunningAndGivesUpNoPlace() async throws {
        let queue = ShowWriteQueue(width: 1)
        let show = UUID()
        let (busy, release) = await Self.occupy(queue, .claim(show))

        let ran = Latch()
        let cancelled = Task { try await queue.run(.claim(show)) { ran.open() } }
        let after = Task { try await queue.run(.purchase(show)) { "after" } }
        try await Self.until(queue, show, waiting: 2)
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(queue.writes(on: show) == (1, 1), "the write still running keeps its place; the one behind keeps waiting")

        release.open()
        try await busy.value
        #expect(try await after.value == "after")
        #expect(!ran.isOpen)
        #expect(queue.writes(on: show) == (0, 0))
    }

    @Test func aWriteAlreadyCancelledWhenItArrivesAtAFullLaneDoesNotRun() async throws {
        let queue = ShowWriteQueue(width: 1)
        let show = UUID()
        let (busy, release) = await Self.occupy(queue, .purchase(show))
        let ran = Latch()
        let late = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await queue.run(.claim(show)) { ran.open() }
        }
        await #expect(throws: CancellationError.self) { try await late.value }
        #expect(queue.writes(on: show) == (1, 0))
        release.open()
        try await busy.value
        #expect(!ran.isOpen && queue.writes(on: show) == (0, 0))
    }

    /// The store's purchases take their turn in the queue, and the turn is part of the deadline: a hold still waiting
    /// when it passes answers `storeUnavailable` and writes nothing.
    @Test func aHoldWaitingForItsShowsTurnPastTheDeadlineAnswersUnavailableAndWritesNothing() async throws {
        // Only the hold under test goes through the store with the short deadline.
        try await Fixture.withPostgresHandles(1, deadline: .milliseconds(500)) { fixture, stores in
            let store = stores[0]
            let show = fixture.show.showId
            let hurried = fixture.through(store)
            let (busy, release) = await Self.occupy(store.showWrites, .purchase(show))

            let waited = ContinuousClock.now
            await #expect { try await hurried.hold(["A1"], by: "ann") } throws: { code(of: $0) == "STORE_UNAVAILABLE" }
            #expect(ContinuousClock.now - waited >= .milliseconds(450))
            try await Self.until(store.showWrites, show, waiting: 0)  // the hold that gave up leaves the queue
            #expect(store.showWrites.writes(on: show).running == 1)
            #expect(try await fixture.liveClaims().isEmpty)

            release.open()
            try await busy.value
            #expect(store.showWrites.writes(on: show) == (0, 0))
            #expect(try await fixture.hold(["A1"], by: "ann").seatIds == ["A1"])
        }
    }
}
