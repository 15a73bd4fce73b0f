import Foundation
import HoldfastStore
import Testing

@Suite struct DeadlineTests {
    struct TooLate: Error {}
    struct Failure: Error {}

    /// A deadline on its own timer, and one kept by a watch shared with other operations.
    enum Runner: CaseIterable, Sendable {
        case own, watched

        func run<T: Sendable>(limit: Duration, _ operation: @escaping @Sendable () async throws -> T, watch: DeadlineWatch = DeadlineWatch()) async throws -> T {
            switch self {
            case .own: try await Deadline.run(limit: limit, timeoutError: TooLate(), operation)
            case .watched: try await watch.run(limit: limit, timeoutError: TooLate(), operation)
            }
        }
    }

    @Test(arguments: Runner.allCases) func answersWithTheResultInTime(runner: Runner) async throws {
        let value = try await runner.run(limit: .seconds(5)) { 42 }
        #expect(value == 42)
        await #expect(throws: Failure.self) {
            try await runner.run(limit: .seconds(5)) { () async throws -> Int in throw Failure() }
        }
    }

    @Test(arguments: Runner.allCases) func answersOnTimeEvenWhenTheWorkIgnoresCancellation(runner: Runner) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: TooLate.self) {
            try await runner.run(limit: .milliseconds(100)) { () async throws -> Int in
                // Awaiting an unstructured task does not pass cancellation on: this ignores it for 30 seconds.
                await Task { try? await Task.sleep(for: .seconds(30)); return 1 }.value
            }
        }
        // Long before the work would end (a generous bound: busy CI machines are slow).
        #expect(clock.now - start < .seconds(20))
    }

    @Test(arguments: Runner.allCases) func aCancelledCallerIsReleasedAtOnce(runner: Runner) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let caller = Task {
            try await runner.run(limit: .seconds(30)) { () async throws -> Int in
                await Task { try? await Task.sleep(for: .seconds(30)); return 1 }.value
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        #expect(clock.now - start < .seconds(20))
    }

    /// One watch for many operations: the quick ones answer as they finish, the stuck one times out alone, and the
    /// watch, idle again, still keeps a deadline set after it stopped ticking.
    @Test func aWatchKeepsEachDeadlineOfMany() async throws {
        let watch = DeadlineWatch(tick: .milliseconds(10))
        try await withThrowingTaskGroup(of: Int?.self) { group in
            for value in 0..<20 {
                group.addTask { try await Runner.watched.run(limit: .seconds(5), { value }, watch: watch) }
            }
            group.addTask {
                do {
                    return try await Runner.watched.run(limit: .milliseconds(100), {
                        await Task { try? await Task.sleep(for: .seconds(30)); return -1 }.value
                    }, watch: watch)
                } catch is TooLate {
                    return nil
                }
            }
            var answers: [Int?] = []
            for try await answer in group { answers.append(answer) }
            #expect(answers.compactMap { $0 }.sorted() == Array(0..<20))
            #expect(answers.count == 21)
        }
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: TooLate.self) {
            try await Runner.watched.run(limit: .milliseconds(50), {
                await Task { try? await Task.sleep(for: .seconds(30)); return 1 }.value
            }, watch: watch)
        }
    }
}
