import Foundation
import HoldfastCore
import HoldfastStore
import Testing

/// One claim per seat on its way to the store from this instance; the others wait for it, then are refused (it took
/// their seats for another buyer) or look again.
@Suite struct SeatIntentsTests {
    @Test func theSameBuyersClaimOnBusySeatsWaitsForTheOneInFlightAndLooksAgainWhileOtherSeatsGoAhead() async throws {
        let intents = SeatIntents()
        let show = UUID()
        let latch = Latch()
        let started = Latch()
        let first = Task { try await intents.claiming(["A1", "A2"], of: show, by: "ann") { started.open(); await latch.wait(); return "first" } }
        await started.wait()
        #expect(intents.inFlight(show) == ["A1", "A2"])
        #expect(intents.inFlight(UUID()).isEmpty)

        // Other seats, or the same seats of another show, go ahead at once.
        #expect(try await intents.claiming(["A3"], of: show, by: "bob") { "beside" } == "beside")
        #expect(try await intents.claiming(["A1"], of: UUID(), by: "bob") { "elsewhere" } == "elsewhere")

        let ran = Latch()
        let second = Task { try await intents.claiming(["A2", "A4"], of: show, by: "ann") { ran.open(); return "second" } }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!ran.isOpen, "the overlapping claim waits")
        latch.open()
        #expect(try await first.value == "first")
        let answer = try await second.value
        #expect(answer == nil && !ran.isOpen, "it is told to look again, not run")
        #expect(intents.inFlight(show).isEmpty)
        #expect(try await intents.claiming(["A2"], of: show, by: "bob") { "again" } == "again")
    }

    @Test func aClaimThatFailsStillLetsItsSeatsGo() async throws {
        struct Refused: Error {}
        let intents = SeatIntents()
        let show = UUID()
        await #expect(throws: Refused.self) { try await intents.claiming(["B1"], of: show, by: "ann") { () async throws -> String in throw Refused() } }
        #expect(intents.inFlight(show).isEmpty)
        #expect(try await intents.claiming(["B1"], of: show, by: "ann") { "next" } == "next")
    }

    @Test func anotherBuyersClaimIsRefusedAtOnceWhenTheClaimInFlightTookItsSeats() async throws {
        let intents = SeatIntents()
        let show = UUID()
        let latch = Latch()
        let started = Latch()
        let first = Task { try await intents.claiming(["C1", "C2"], of: show, by: "ann") { started.open(); await latch.wait(); return "ann's" } }
        await started.wait()
        let ran = Latch()
        let second = Task { try await intents.claiming(["C3", "C2", "C1"], of: show, by: "bob") { ran.open(); return "bob's" } }
        try await Task.sleep(for: .milliseconds(50))
        latch.open()
        #expect(try await first.value == "ann's")
        do {
            _ = try await second.value
            Issue.record("bob's claim was not refused")
        } catch let error as HoldfastError {
            #expect(error.code == "SEATS_UNAVAILABLE")
            #expect(error.seatIds == ["C2", "C1"], "the seats ann took, in the order bob asked")
        }
        #expect(!ran.isOpen)
        #expect(intents.inFlight(show).isEmpty)
    }

    @Test func aClaimThatFailedLeavesTheWaitingLookingAgainOnceNoneOfTheirSeatsIsInFlight() async throws {
        struct Refused: Error {}
        let intents = SeatIntents()
        let show = UUID()
        let (failing, failingStarted, other, otherStarted) = (Latch(), Latch(), Latch(), Latch())
        let first = Task {
            try await intents.claiming(["D1"], of: show, by: "ann") { () async throws -> String in
                failingStarted.open()
                await failing.wait()
                throw Refused()
            }
        }
        let third = Task { try await intents.claiming(["D2"], of: show, by: "cy") { otherStarted.open(); await other.wait(); return "cy's" } }
        await failingStarted.wait()
        await otherStarted.wait()
        let waiting = Task { try await intents.claiming(["D1", "D2"], of: show, by: "bob") { "bob's" } }
        try await Task.sleep(for: .milliseconds(50))
        failing.open()
        await #expect(throws: Refused.self) { try await first.value }
        try await Task.sleep(for: .milliseconds(50))
        #expect(intents.inFlight(show) == ["D2"], "D1 went back; bob still waits for D2")
        other.open()
        #expect(try await third.value == "cy's")
        await #expect(throws: HoldfastError.self, "cy took D2") { try await waiting.value }

        // A failed claim alone sends the waiting back to look again.
        let again = Latch()
        let againStarted = Latch()
        let fourth = Task {
            try await intents.claiming(["E1"], of: show, by: "ann") { () async throws -> String in
                againStarted.open()
                await again.wait()
                throw Refused()
            }
        }
        await againStarted.wait()
        let lookingAgain = Task { try await intents.claiming(["E1"], of: show, by: "bob") { "bob's" } }
        try await Task.sleep(for: .milliseconds(50))
        again.open()
        await #expect(throws: Refused.self) { try await fourth.value }
        #expect(try await lookingAgain.value == nil)
        #expect(intents.inFlight(show).isEmpty)
    }
}
