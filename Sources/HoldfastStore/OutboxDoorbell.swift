import Synchronization

/// Rung by a store after each committed write, so an outbox dispatcher in the same process wakes at
/// once instead of at its next poll. (Other instances' commits are still found by polling.)
public final class OutboxDoorbell: Sendable {
    private struct State {
        var rings: UInt64 = 0
        var nextWaiter = 0
        /// Whoever waits for the next ring.
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Waiters cancelled before they were listed: they are not to be listed.
        var gone: Set<Int> = []
    }

    private let state = Mutex(State())

    public init() {}

    public func ring() {
        // Rung after every committed write, mostly with nobody waiting: then it only counts.
        let waiters = state.withLock { state -> [Int: CheckedContinuation<Void, Never>] in
            state.rings &+= 1
            guard !state.waiters.isEmpty else { return [:] }
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values { waiter.resume() }
    }

    public var count: UInt64 { state.withLock { $0.rings } }

    /// Returns once the bell rang after `seen` (a `count` read earlier), or after `limit`; false on cancellation.
    /// Sleeps meanwhile: one timer for `limit`, woken by the ring.
    @discardableResult
    public func wait(after seen: UInt64, upTo limit: Duration) async -> Bool {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.ringing(after: seen) }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
        return !Task.isCancelled
    }

    /// Returns at the first ring after `seen`, or on cancellation.
    private func ringing(after seen: UInt64) async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    guard state.rings == seen, state.gone.remove(id) == nil else { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                guard let waiter = state.waiters.removeValue(forKey: id) else {
                    state.gone.insert(id)
                    return nil as CheckedContinuation<Void, Never>?
                }
                return waiter
            }
            waiter?.resume()
        }
        // Cancelled after a ring had already woken it: nothing is left to skip.
        _ = state.withLock { $0.gone.remove(id) }
    }
}
