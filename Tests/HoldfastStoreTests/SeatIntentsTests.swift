import Foundation
import HoldfastStore
import Synchronization
import Testing

/// One claim per seat on its way to the store from this instance; the others wait for it and look again.
@Suite struct SeatIntentsTests {
    /// Lets a test hold a claim open until it says so.
    final class Latch: Sendable {
        private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state in
                    if !state.open { state.waiting.append(continuation) }
                    return state.open
                }
                if open { continuation.resume() }
            }
        }

        var isOpen: Bool { state.withLock { $0.open } }

        func open() {
            for waiter in state.withLock({ state in state.open = true; defer { state.waiting = [] }; return state.waiting }) { waiter.resume() }
        }
    }

    @Test func aClaimOnBusySeatsWaitsForTheOneInFlightAndLooksAgainWhileOtherSeatsGoAhead() async throws {
        let intents = SeatIntents()
        let show = UUID()
        let latch = Latch()
        let started = Latch()
        let first = Task { try await intents.claiming(["A1", "A2"], of: show) { started.open(); await latch.wait(); return "first" } }
        await started.wait()
        #expect(intents.inFlight(show) == ["A1", "A2"])
        #expect(intents.inFlight(UUID()).isEmpty)

        // Other seats, or the same seats of another show, go ahead at once.
        #expect(try await intents.claiming(["A3"], of: show) { "beside" } == "beside")
        #expect(try await intents.claiming(["A1"], of: UUID()) { "elsewhere" } == "elsewhere")

        let ran = Latch()
        let second = Task { try await intents.claiming(["A2", "A4"], of: show) { ran.open(); return "second" } }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!ran.isOpen, "the overlapping claim waits")
        latch.open()
        #expect(try await first.value == "first")
        let answer = try await second.value
        #expect(answer == nil && !ran.isOpen, "it is told to look again, not run")
        #expect(intents.inFlight(show).isEmpty)
        #expect(try await intents.claiming(["A2"], of: show) { "again" } == "again")
    }

    @Test func aClaimThatFailsStillLetsItsSeatsGo() async throws {
        struct Refused: Error {}
        let intents = SeatIntents()
        let show = UUID()
        await #expect(throws: Refused.self) { try await intents.claiming(["B1"], of: show) { () async throws -> String in throw Refused() } }
        #expect(intents.inFlight(show).isEmpty)
        #expect(try await intents.claiming(["B1"], of: show) { "next" } == "next")
    }
}
