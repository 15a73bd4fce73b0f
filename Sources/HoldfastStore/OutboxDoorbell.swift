import Synchronization

/// Rung by a store after each committed write, so an outbox dispatcher in the same process wakes at
/// once instead of at its next poll. (Other instances' commits are still found by polling.)
public final class OutboxDoorbell: Sendable {
    private let rings = Atomic<UInt64>(0)

    public init() {}

    public func ring() { rings.add(1, ordering: .releasing) }

    public var count: UInt64 { rings.load(ordering: .acquiring) }

    /// Returns once the bell rang after `seen` (a `count` read earlier), or after `limit`; false on cancellation.
    @discardableResult
    public func wait(after seen: UInt64, upTo limit: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while count == seen && clock.now < deadline {
            guard (try? await Task.sleep(for: .milliseconds(2))) != nil else { return false }
        }
        return true
    }
}
