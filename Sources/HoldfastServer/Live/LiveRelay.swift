import Foundation
import HoldfastCore
import HoldfastStore
import Logging
import ServiceLifecycle

/// On a store that shares live messages (PostgreSQL), hands every message any instance commits to this
/// instance's WebSocket clients. On SQLite it has nothing to do: the server publishes its own commits.
public struct LiveRelay: Service {
    let stores: any HoldfastStores
    let hub: LiveHub
    let logger: Logger

    public init(dependencies: HoldfastDependencies, logger: Logger) {
        self.stores = dependencies.stores
        self.hub = dependencies.hub
        self.logger = logger
    }

    public func run() async throws {
        // A service group ends when any service does: with nothing to relay, wait for shutdown.
        guard stores.sharesLiveMessages else { return try await gracefulShutdown() }
        try await cancelWhenGracefulShutdown {
            try await stores.followMessages { code, seq in
                let topic = LiveEvents.conversationTopic(code)
                // Nobody here listens: skip the read.
                guard await hub.listenerCount(topic) > 0 else { return }
                do {
                    guard let message = try await stores.message(bookingCode: code, seq: seq) else { return }
                    await hub.publish(LiveEvents.message(message), on: topic)
                } catch {
                    logger.warning("could not relay a live message", metadata: ["booking": "\(code)", "seq": "\(seq)", "error": "\(error)"])
                }
            }
        }
    }
}
