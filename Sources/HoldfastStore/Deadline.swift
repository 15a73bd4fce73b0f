import Synchronization

/// Runs `operation` but answers by `limit` no matter what: on time its result, else `timeoutError`.
///
/// A task group would be the structured way, but a group waits for every child, so an operation
/// that ignores cancellation (a database driver waiting on a lost connection) would hold the caller
/// past any deadline — a request would hang, and so would shutdown. Here the operation runs in a
/// task of its own that is cancelled, not awaited, when time runs out or the caller is cancelled.
public enum Deadline {
    public static func run<T: Sendable>(
        limit: Duration, timeoutError: @autoclosure @escaping @Sendable () -> any Error,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await race(timeoutError: timeoutError, operation) { expire in
            let timer = Task {
                try? await Task.sleep(for: limit)
                expire()
            }
            return { timer.cancel() }
        }
    }

    /// The race itself: `operation` in a task of its own against a timer that `arm` starts — it calls `expire`
    /// when time is up and answers how to stop the timer once the race is decided.
    static func race<T: Sendable>(
        timeoutError: @escaping @Sendable () -> any Error, _ operation: @escaping @Sendable () async throws -> T,
        arm: (_ expire: @escaping @Sendable () -> Void) -> @Sendable () -> Void
    ) async throws -> T {
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.begin(continuation)
                let work = Task {
                    do { outcome.finish(.success(try await operation())) } catch { outcome.finish(.failure(error)) }
                }
                let disarm = arm { if outcome.finish(.failure(timeoutError())) { work.cancel() } }
                outcome.onFinish {
                    work.cancel()
                    disarm()
                }
            }
        } onCancel: {
            outcome.finish(.failure(CancellationError()))
        }
    }

    /// Resumes the continuation exactly once, with whichever result arrives first.
    private final class Outcome<T: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<T, any Error>?
            var early: Result<T, any Error>?
            var done = false
            var cleanup: (@Sendable () -> Void)?
        }

        private let state = Mutex(State())

        func begin(_ continuation: CheckedContinuation<T, any Error>) {
            let early: Result<T, any Error>? = state.withLock { state in
                if let early = state.early { return early }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(with: early) }
        }

        func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
            let finished = state.withLock { state in
                state.cleanup = cleanup
                return state.done
            }
            if finished { cleanup() }
        }

        /// True when this call decided the outcome.
        @discardableResult
        func finish(_ result: Result<T, any Error>) -> Bool {
            let (continuation, cleanup, decided): (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?, Bool) = state.withLock { state in
                guard !state.done else { return (nil, nil, false) }
                state.done = true
                if state.continuation == nil { state.early = result }
                return (state.continuation, state.cleanup, true)
            }
            continuation?.resume(with: result)
            cleanup?()
            return decided
        }
    }
}
