import Foundation
import HoldfastStore
import Logging
import ServiceLifecycle

/// Turns ringing calls nobody answered within the ring timeout into missed calls, every `interval`.
public struct MissedCallSweeper: Service {
    let conversations: ConversationService
    let interval: Duration
    let logger: Logger

    public init(conversations: ConversationService, interval: Duration = .seconds(1), logger: Logger) {
        self.conversations = conversations
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await WorkerLoop.run("missed-call sweep", logger: logger, every: interval) { try await conversations.sweepMissedCalls() }
    }
}
