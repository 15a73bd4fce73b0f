import HoldfastCore

/// Something the outbox dispatcher delivers events to. `deliver` may be called more than once for one
/// event (at least once); it must throw when the event was not handled, so that it is retried.
public protocol EventSubscriber: Sendable {
    /// Stable name: the key of this subscriber's deliveries in the store.
    var name: String { get }
    func accepts(_ event: DomainEvent) -> Bool
    func deliver(_ event: DomainEvent) async throws
}
