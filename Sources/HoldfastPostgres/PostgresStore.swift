import Foundation
import HoldfastCore
import HoldfastStore
import Logging
import PostgresNIO
import ServiceLifecycle

/// The shared store: stateless server instances on one PostgreSQL, through PostgresNIO's pooled client.
/// Run it as a service (`run()` keeps the pool alive); every operation has a deadline, so a database
/// that went away answers `storeUnavailable` instead of hanging, and the pool reconnects by itself.
public struct PostgresStore: HoldfastStores, Service {
    /// Transactions (and the LISTEN connections).
    let client: PostgresClient
    /// Single reads — seat-map checks above all — on connections of their own, so they never queue behind
    /// transactions holding every connection while a show goes on sale.
    let readers: PostgresClient
    let logger: Logger
    let deadline: Duration
    let deadlines = DeadlineWatch()
    let writeConnections: Int
    let readConnections: Int
    public let doorbell = OutboxDoorbell()
    let shows = ShowCache()
    /// Holds, orders and settlements of one show, a few at a time (see `ShowWriteQueue`).
    let showWrites: ShowWriteQueue
    /// A show's first holds waiting for its lane together, written in one statement (see `WriteGatherings`).
    let firstHolds: WriteGatherings<UUID, FirstHoldWrite, Bool>

    /// `configuration`'s connections are split: a quarter (at least one) for reads, the rest (at least one) for
    /// transactions. `writesPerShow` is how many of a show's holds, orders and settlements run at once;
    /// `holdsPerStatement`, how many first holds waiting for a show's lane together one statement writes.
    public init(
        configuration: PostgresClient.Configuration, logger: Logger, deadline: Duration = .seconds(5),
        writesPerShow: Int = PostgresSettings.defaultWritesPerShow, holdsPerStatement: Int = PostgresSettings.defaultHoldsPerStatement
    ) {
        let connections = configuration.options.maximumConnections
        var reads = configuration
        reads.options.maximumConnections = max(1, connections / 4)
        var transactions = configuration
        transactions.options.maximumConnections = max(1, connections - reads.options.maximumConnections)
        reads.options.minimumConnections = min(reads.options.minimumConnections, reads.options.maximumConnections)
        transactions.options.minimumConnections = min(transactions.options.minimumConnections, transactions.options.maximumConnections)
        self.writeConnections = transactions.options.maximumConnections
        self.readConnections = reads.options.maximumConnections
        self.client = PostgresClient(configuration: transactions, backgroundLogger: logger)
        self.readers = PostgresClient(configuration: reads, backgroundLogger: logger)
        self.logger = logger
        self.deadline = deadline
        self.showWrites = ShowWriteQueue(width: writesPerShow)
        self.firstHolds = WriteGatherings(maximum: holdsPerStatement, fits: FirstHoldWrite.fits)
    }

    /// Keeps the connection pools running, and the tables' statistics up to date (`analyzeGrownTables`), until
    /// graceful shutdown (or cancellation).
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                group.addTask { await readers.run() }
                group.addTask { await keepStatistics() }
            }
        }
    }

    public func ping() async throws {
        try await read { connection in try await connection.execute("SELECT 1", logger) }
    }

    /// A one-off job's allowance (migrations, reconciliation scans) instead of a request's `deadline`.
    static let jobDeadline: Duration = .seconds(600)

    /// Runs `body` in one transaction within `limit` (default: the store's deadline). Serialization failures
    /// and deadlocks are retried a few times; a thrown domain error rolls back and surfaces as itself.
    /// A write of a show's seats waits its `place` among that show's (in the deadline).
    func transaction<T: Sendable>(
        limit: Duration? = nil, queued place: ShowWriteQueue.Place? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await writing(limit: limit, queued: place) {
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// A change made by one statement, which PostgreSQL makes atomic on its own: one round trip where a
    /// transaction adds BEGIN and COMMIT.
    func statement<T: Sendable>(
        queued place: ShowWriteQueue.Place? = nil, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await writing(limit: nil, queued: place) {
            try await client.withConnection { connection in try await body(connection) }
        }
    }

    /// `statement(queued:)` for a write that joins its show's others waiting for the same turn in `gatherings` (see
    /// `WriteGatherings`): the wait in the gathering, the leader's turn in the lane and the one statement `body` makes
    /// of all the gathered items share one deadline; `body` answers an outcome for each item, in their order.
    func gatheredStatement<Item: Sendable, Output: Sendable>(
        _ item: Item, in gatherings: WriteGatherings<UUID, Item, Output>, queued place: ShowWriteQueue.Place,
        _ body: @escaping @Sendable ([Item], PostgresConnection) async throws -> [Result<Output, any Error>]
    ) async throws -> Output {
        try await writing(limit: nil, queued: nil) { [self] in
            try await gatherings.write(item, key: place.show) { take in
                try await showWrites.run(place) { try await client.withConnection { connection in try await body(take(), connection) } }
            }
        }
    }

    /// Runs a write within the deadline (its wait in its show's queue included), again (up to four times) when
    /// PostgreSQL asks for a retry, and rings the outbox doorbell once it committed.
    private func writing<T: Sendable>(
        limit: Duration?, queued place: ShowWriteQueue.Place?, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let result = try await withDeadline(limit ?? deadline) { [showWrites] in
                    guard let place else { return try await operation() }
                    return try await showWrites.run(place, operation)
                }
                doorbell.ring()
                return result
            } catch {
                let translated = Self.translate(error)
                if Self.isRetryable(translated), attempt < 4 { continue }
                throw translated
            }
        }
    }

    /// Upkeep in one transaction within a job's allowance, on the write connections, without ringing the outbox
    /// doorbell (it commits no events).
    func maintenance<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await withDeadline(Self.jobDeadline) {
                try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            }
        } catch {
            throw Self.translate(error)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await withDeadline(deadline) { try await readers.withConnection { connection in try await body(connection) } }
        } catch {
            throw Self.translate(error)
        }
    }

    private func withDeadline<T: Sendable>(_ deadline: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await deadlines.run(
            limit: deadline, timeoutError: HoldfastError.storeUnavailable("no answer from PostgreSQL within \(deadline)"), operation)
    }

    /// Holds one pooled connection LISTENing on `channel` and hands each payload to `received`, in commit
    /// order, until cancelled; listens again a second after the connection drops (what was announced
    /// meanwhile is not replayed: live clients catch up from the store).
    func follow(channel: String, _ received: @escaping @Sendable (String) async -> Void) async throws {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        for try await notification in notifications { await received(notification.payload) }
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("lost a notification channel; listening again", metadata: ["channel": "\(channel)", "error": "\(error)"])
            }
            guard (try? await Task.sleep(for: .seconds(1))) != nil else { return }
        }
    }

    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// Domain errors pass through; lost connections and an unreachable server become `storeUnavailable`.
    static func translate(_ error: any Error) -> any Error {
        if let transaction = error as? PostgresTransactionError {
            return translate(transaction.closureError ?? transaction.beginError ?? transaction.commitError ?? error)
        }
        if error is HoldfastError || error is CancellationError { return error }
        guard let psql = error as? PSQLError else {
            if error is IOError || error is ChannelError { return HoldfastError.storeUnavailable("connection failed") }
            return error
        }
        switch psql.code {
        case .server:
            let state = psql.serverInfo?[.sqlState] ?? ""
            if state == "HFS01" {
                return HoldfastError.seatsUnavailable((psql.serverInfo?[.detail] ?? "").split(separator: ",").map(String.init))
            }
            // Class 08: connection exceptions; 57P01-3: admin shutdown, crash shutdown, cannot connect now; 53: out of resources.
            if state.hasPrefix("08") || state.hasPrefix("57P") || state.hasPrefix("53") {
                return HoldfastError.storeUnavailable(psql.serverInfo?[.message] ?? "server unavailable")
            }
            return psql
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown,
            .sslUnsupported, .failedToAddSSLHandler:
            return HoldfastError.storeUnavailable("lost the connection to PostgreSQL")
        default:
            return psql
        }
    }
}
