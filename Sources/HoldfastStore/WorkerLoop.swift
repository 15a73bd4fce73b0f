import Logging
import ServiceLifecycle

/// The loop every background worker runs: a round of work, then a pause, until graceful shutdown. A failed
/// round is logged and tried again after the pause; shutdown cancelling a round or a pause is not a failure.
public enum WorkerLoop {
    /// `mark` is taken before each round and handed to the pause (a doorbell count, say, so that commits
    /// made during the round end the pause at once); `pause` answers false when shutdown cancelled it.
    public static func run<Mark: Sendable>(
        _ work: String, logger: Logger, mark: @escaping @Sendable () -> Mark, round: @escaping @Sendable () async throws -> Void,
        pause: @escaping @Sendable (Mark) async -> Bool
    ) async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let marked = mark()
                do {
                    try await round()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("\(work) failed; retrying", metadata: ["error": "\(error)"])
                }
                if await !pause(marked) { return }
            }
        }
    }

    /// A round every `interval`.
    public static func run(_ work: String, logger: Logger, every interval: Duration, round: @escaping @Sendable () async throws -> Void) async {
        await run(work, logger: logger, mark: {}, round: round, pause: { _ in (try? await Task.sleep(for: interval)) != nil })
    }
}
