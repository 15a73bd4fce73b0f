import Foundation
import HoldfastCore
import HoldfastStore
import Logging
import ServiceLifecycle

/// Pushes committed seat changes to the WebSocket clients watching each show: on PostgreSQL from
/// LISTEN/NOTIFY (every instance's commits), on SQLite by reading the changes after the last version seen
/// right after each local commit (and every `pollInterval`).
public struct SeatFeed: Service {
    let stores: any HoldfastStores
    let hub: LiveHub
    let pollInterval: Duration
    let logger: Logger

    public init(dependencies: HoldfastDependencies, pollInterval: Duration = .milliseconds(200), logger: Logger) {
        self.stores = dependencies.stores
        self.hub = dependencies.hub
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            if stores.sharesLiveMessages {
                try await stores.followSeatChanges { change in await publish(change) }
                return
            }
            var cursor = (try? await stores.latestSeatVersion()) ?? 0
            while !Task.isCancelled {
                let seen = stores.doorbell.count
                do {
                    let changes = try await stores.seatChanges(after: cursor, limit: 1_000)
                    for change in changes { await publish(change) }
                    cursor = changes.last?.version ?? cursor
                    if changes.count == 1_000 { continue }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("could not read seat changes; retrying", metadata: ["error": "\(error)"])
                }
                // Shutdown cancels the wait: leave quietly, it is not a failure.
                if await !stores.doorbell.wait(after: seen, upTo: pollInterval) { return }
            }
        }
    }

    func publish(_ change: SeatChange) async {
        let topic = LiveEvents.showTopic(change.showId)
        guard await hub.listenerCount(topic) > 0 else { return }
        await hub.publish(LiveEvents.seat(change), on: topic)
    }
}
