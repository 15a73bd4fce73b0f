import Foundation
import HoldfastStore
import Testing

@Suite struct DeadlineTests {
    struct TooLate: Error {}

    @Test func answersWithTheResultInTime() async throws {
        let value = try await Deadline.run(limit: .seconds(5), timeoutError: TooLate()) { 42 }
        #expect(value == 42)
        await #expect(throws: Failure.self) {
            try await Deadline.run(limit: .seconds(5), timeoutError: TooLate()) { () async throws -> Int in throw Failure() }
        }
    }

    @Test func answersOnTimeEvenWhenTheWorkIgnoresCancellation() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: TooLate.self) {
            try await Deadline.run(limit: .milliseconds(100), timeoutError: TooLate()) { () async throws -> Int in
                // Awaiting an unstructured task does not pass cancellation on: this ignores it for 30 seconds.
                await Task { try? await Task.sleep(for: .seconds(30)); return 1 }.value
            }
        }
        // Long before the work would end (a generous bound: busy CI machines are slow).
        #expect(clock.now - start < .seconds(10))
    }

    @Test func aCancelledCallerIsReleasedAtOnce() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let caller = Task {
            try await Deadline.run(limit: .seconds(30), timeoutError: TooLate()) { () async throws -> Int in
                await Task { try? await Task.sleep(for: .seconds(30)); return 1 }.value
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        #expect(clock.now - start < .seconds(10))
    }

    struct Failure: Error {}
}
