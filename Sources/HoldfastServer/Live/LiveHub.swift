import Foundation
import Metrics
import NIOCore

/// Who listens to what: live connections subscribe to topics ("conversation:RIDE-77") and receive what is
/// published there. Each connection has a bounded queue; a connection that falls `capacity` messages
/// behind is cut off (it reconnects and catches up from history), so one slow client never holds up others.
/// A frame is encoded once and its bytes are shared by every connection it goes to.
public actor LiveHub {
    public typealias ConnectionID = UUID

    private var queues: [ConnectionID: AsyncStream<ByteBuffer>.Continuation] = [:]
    private var topicsOf: [ConnectionID: Set<String>] = [:]
    private var listeners: [String: Set<ConnectionID>] = [:]
    private var overflowed: Set<ConnectionID> = []
    let capacity: Int

    public init(capacity: Int = 256) { self.capacity = capacity }

    /// A new connection and the stream of what it should send, in order.
    public func connect() -> (ConnectionID, AsyncStream<ByteBuffer>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingOldest(capacity))
        queues[id] = continuation
        Gauge(label: "holdfast_live_connections").record(queues.count)
        return (id, stream)
    }

    public func subscribe(_ id: ConnectionID, to topic: String) {
        guard queues[id] != nil else { return }
        topicsOf[id, default: []].insert(topic)
        listeners[topic, default: []].insert(id)
    }

    public func unsubscribe(_ id: ConnectionID, from topic: String) {
        topicsOf[id]?.remove(topic)
        listeners[topic]?.remove(id)
        if listeners[topic]?.isEmpty == true { listeners[topic] = nil }
    }

    /// Ends the connection's stream and forgets it; answers whether it was cut off for falling behind.
    @discardableResult
    public func disconnect(_ id: ConnectionID) -> Bool {
        for topic in topicsOf[id] ?? [] { unsubscribe(id, from: topic) }
        topicsOf[id] = nil
        queues.removeValue(forKey: id)?.finish()
        Gauge(label: "holdfast_live_connections").record(queues.count)
        return overflowed.remove(id) != nil
    }

    /// Queues `frame` for one connection (replies to its own requests).
    public func send(_ frame: ByteBuffer, to id: ConnectionID) { enqueue(frame, for: id) }

    /// Queues `frame` for every connection listening to `topic`.
    public func publish(_ frame: ByteBuffer, on topic: String) {
        for id in listeners[topic] ?? [] { enqueue(frame, for: id) }
    }

    public var connectionCount: Int { queues.count }

    public func listenerCount(_ topic: String) -> Int { listeners[topic]?.count ?? 0 }

    private func enqueue(_ frame: ByteBuffer, for id: ConnectionID) {
        guard let queue = queues[id] else { return }
        if case .dropped = queue.yield(frame) {
            overflowed.insert(id)
            Counter(label: "holdfast_live_slow_disconnects_total").increment()
            queue.finish()
            queues[id] = nil
        }
    }
}
