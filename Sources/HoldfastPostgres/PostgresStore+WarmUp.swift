import Logging
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// Opens every pooled connection and prepares the purchase's statements on it before the first buyer comes: its
    /// writes and the outbox's on the write connections, its reads (and its confirmation's) on the read connections.
    /// A new PostgreSQL connection plans its first statements with cold caches (its catalog, its prepared
    /// statements): left to the first rush, all of that landed in the opening second of the first show on sale
    /// after a start (hot-show hold p99 ~45 ms there against ~22 ms in the shows after it).
    /// Each statement runs on template values in a transaction that is rolled back: nothing is written.
    public func warmUp() async {
        await warm(client, connections: writeConnections) { connection in
            await Self.tryOut(FirstHold.self, on: connection, logger)
            await Self.tryOut(FirstHolds.self, on: connection, logger)
            await Self.tryOut(StoredOrder.self, on: connection, logger)
            await Self.tryOut(BookedOrder.self, on: connection, logger)
            await Self.tryOut(StoredPayment.self, on: connection, logger)
            await Self.tryOut(SettledPayment.self, on: connection, logger)
            await Self.tryOut(UnfannedEvents.self, on: connection, logger)
            await Self.tryOut(FannedOutDeliveries.self, on: connection, logger)
            await Self.tryOut(FannedOutEvents.self, on: connection, logger)
            await Self.tryOut(CompletedDeliveries.self, on: connection, logger)
            await Self.tryOut(KeptMail.self, on: connection, logger)
        }
        await warm(readers, connections: readConnections) { connection in
            await Self.tryOut(SeatMapCheck.self, on: connection, logger)
            await Self.tryOut(HoldWithShow.self, on: connection, logger)
            await Self.tryOut(OwnedOrder.self, on: connection, logger)
            await Self.tryOut(PaymentById.self, on: connection, logger)
            await Self.tryOut(PaymentWithOrder.self, on: connection, logger)
            await Self.tryOut(OrderWithDetails.self, on: connection, logger)
            await Self.tryOut(Webhooks.self, on: connection, logger)
        }
    }

    /// Runs `body` on `connections` connections of `pool` at once (so each on its own), waiting at most a few
    /// seconds for all of them to be there.
    private func warm(_ pool: PostgresClient, connections: Int, _ body: @escaping @Sendable (PostgresConnection) async -> Void) async {
        let arrived = Arrivals()
        await withDiscardingTaskGroup { group in
            for _ in 0..<connections {
                group.addTask {
                    try? await pool.withConnection { connection in
                        await body(connection)
                        arrived.count.add(1, ordering: .relaxed)
                        // Holds this connection until every task has one of its own.
                        let clock = ContinuousClock()
                        let giveUp = clock.now + .seconds(5)
                        while arrived.count.load(ordering: .relaxed) < connections, clock.now < giveUp {
                            try? await Task.sleep(for: .milliseconds(10))
                        }
                    }
                }
            }
        }
    }

    /// PostgreSQL plans a prepared statement's first five executions for their values (custom plans) before it
    /// settles on one generic plan for all — per connection. Left to the first rush, that planning fell on the first
    /// show on sale after a start (hot-show hold p99 ~28 ms there against ~20 ms in the shows after it), so the
    /// warm-up runs each statement that often, each run in a savepoint (a template's run may fail: it counts).
    /// A setting that skips the custom plans (`plan_cache_mode`) would also take them from every other query.
    static let customPlans = 5

    private static func tryOut<Shape: PreparedShape>(_ shape: Shape.Type, on connection: PostgresConnection, _ logger: Logger) async {
        do {
            try await connection.execute("BEGIN", logger)
            for _ in 0..<customPlans {
                try await connection.execute("SAVEPOINT warm_up", logger)
                _ = try? await connection.rows(Shape.template, preparedAs: shape, logger)
                try await connection.execute("ROLLBACK TO SAVEPOINT warm_up", logger)
            }
            try await connection.execute("ROLLBACK", logger)
        } catch {
            logger.debug("warm-up statement failed", metadata: ["statement": "\(Shape.self)", "error": "\(error)"])
            _ = try? await connection.execute("ROLLBACK", logger)
        }
    }
}

private final class Arrivals: Sendable {
    let count = Atomic<Int>(0)
}
