import HoldfastStore
import Testing

@Suite struct OutboxDoorbellTests {
    let clock = ContinuousClock()

    @Test func aRingWakesTheWaiterAtOnce() async throws {
        let bell = OutboxDoorbell()
        let seen = bell.count
        let start = clock.now
        async let woken = bell.wait(after: seen, upTo: .seconds(60))
        try await Task.sleep(for: .milliseconds(50))
        bell.ring()
        #expect(await woken)
        // Long before the limit (a generous bound: a machine busy with three test runs at once took 10.7 s).
        #expect(clock.now - start < .seconds(30))
        #expect(bell.count == seen + 1)
    }

    @Test func aRingBeforeTheWaitIsNotMissed() async throws {
        let bell = OutboxDoorbell()
        let seen = bell.count
        bell.ring()
        let start = clock.now
        #expect(await bell.wait(after: seen, upTo: .seconds(60)))
        #expect(clock.now - start < .seconds(30))
    }

    @Test func withoutARingTheWaitEndsAtTheLimit() async throws {
        let bell = OutboxDoorbell()
        let start = clock.now
        #expect(await bell.wait(after: bell.count, upTo: .milliseconds(100)))
        #expect(clock.now - start >= .milliseconds(100))
    }

    @Test func aCancelledWaiterLeavesAtOnceAndTheBellStillWorks() async throws {
        let bell = OutboxDoorbell()
        let start = clock.now
        let waiter = Task { await bell.wait(after: bell.count, upTo: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        #expect(await waiter.value == false)
        #expect(clock.now - start < .seconds(30))
        let seen = bell.count
        async let woken = bell.wait(after: seen, upTo: .seconds(60))
        try await Task.sleep(for: .milliseconds(20))
        bell.ring()
        #expect(await woken)
    }
}
