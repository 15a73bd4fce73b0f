import Foundation
import GRDB
import HoldfastCore
import HoldfastStore
import ServiceLifecycle

/// The embedded store: one SQLite file in WAL mode, one writer, many readers. As a service it runs its log's
/// checkpoints (`WALCheckpointer`).
public struct SQLiteStore: HoldfastStores, Service {
    let pool: DatabasePool
    let commits: GroupCommit
    let checkpointer: WALCheckpointer
    let scans = ScanPermits(limit: SQLiteStore.concurrentScans)
    public let doorbell = OutboxDoorbell()
    let shows = ShowCache()

    /// Opens (creating if needed) the database file at `path`; `run()` checkpoints its log every `checkpointInterval`.
    public init(path: String, checkpointInterval: Duration = .milliseconds(100)) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // Reads run on the threads that ask (`read`): a reader for each event loop and a few spare, beside the scans'.
        configuration.maximumReaderCount = ProcessInfo.processInfo.activeProcessorCount + 2 + Self.concurrentScans
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // Measured under `holdfast bench --scenario spread`: a 64 MB page cache per connection instead of 2 MB
            // (the writer re-read index pages from the file), RETURNING's scratch tables in memory, and the writer's
            // own checkpoint only every 10,000 pages (the checkpointer's come first), the WAL trimmed back after it.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            commits = GroupCommit(pool: pool)
            checkpointer = try WALCheckpointer(path: path, interval: checkpointInterval)
        } catch {
            throw SQLiteStore.translate(error)
        }
    }

    /// Checkpoints the write-ahead log until graceful shutdown (or cancellation).
    public func run() async {
        await checkpointer.run()
    }

    /// Applies pending migrations in one IMMEDIATE transaction: a second process starting at the same
    /// moment waits for the lock, then finds nothing left to do.
    public func migrate() async throws {
        try await write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)")
            let applied = try String.fetchAll(db, sql: "SELECT id FROM schema_migrations ORDER BY id")
            let pending = try MigrationPlan.pending(known: SQLiteMigrations.all.map(\.id), applied: applied)
            for step in SQLiteMigrations.all where pending.contains(step.id) {
                try db.execute(sql: step.sql)
                try db.execute(
                    sql: "INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)",
                    arguments: [step.id, SQLiteColumns.millis(Date())])
            }
        }
    }

    /// True when every migration this build knows has been applied.
    public func isMigrated() async throws -> Bool {
        try await read { db in
            guard try db.tableExists("schema_migrations") else { return false }
            let applied = try String.fetchAll(db, sql: "SELECT id FROM schema_migrations ORDER BY id")
            return applied == SQLiteMigrations.all.map(\.id)
        }
    }

    public func ping() async throws {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Runs `body` atomically in an IMMEDIATE transaction (write lock taken at BEGIN, so no upgrade deadlocks
    /// between processes sharing the file), which writes arriving meanwhile share (`GroupCommit`): a thrown
    /// error rolls back everything `body` did and nothing else; it returns once the transaction committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            defer { doorbell.ring() }
            return try await commits.write(body)
        } catch {
            throw SQLiteStore.translate(error)
        }
    }

    /// Runs `body` in a read transaction on the caller's thread. A read by key or by page takes tens of
    /// microseconds; GRDB's asynchronous read moves it to a reader's queue and back, two thread hops that cost
    /// milliseconds each when the two cores are busy (`holdfast bench --scenario spread`: an order's read of its
    /// hold 6.2 ms → 0.7 ms). Reads whose size grows with the database use `scan`.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try readHere(body) } catch { throw SQLiteStore.translate(error) }
    }

    /// Scans holding a reader at once (`ScanPermits`); more wait their turn.
    static let concurrentScans = 2

    /// Runs `body` in a read transaction on one of GRDB's reader queues, leaving the caller's thread (an event
    /// loop) free meanwhile: for reads of whole tables, such as reconciliation's. The reader goes back to the pool
    /// on its own queue, before the caller resumes, so callers of `read` blocked on a free reader never wait for a
    /// task that needs their thread; and scans never take more than `concurrentScans` readers.
    func scan<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await scans.withPermit {
                try await withCheckedThrowingContinuation { continuation in
                    pool.asyncRead { database in continuation.resume(with: Result { try body(database.get()) }) }
                }
            }
        } catch {
            throw SQLiteStore.translate(error)
        }
    }

    /// GRDB's synchronous read: outside an async context the compiler picks that overload.
    private func readHere<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }

    /// Domain errors pass through; database failures become `storeUnavailable` with the reason.
    static func translate(_ error: any Error) -> any Error {
        if error is HoldfastError { return error }
        guard let dbError = error as? DatabaseError else { return error }
        switch dbError.resultCode {
        case .SQLITE_FULL: return HoldfastError.storeUnavailable("the disk is full")
        case .SQLITE_READONLY: return HoldfastError.storeUnavailable("the database file is read-only")
        case .SQLITE_BUSY, .SQLITE_LOCKED: return HoldfastError.storeUnavailable("the database is busy")
        case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return HoldfastError.storeUnavailable(dbError.message ?? "I/O error")
        default: return dbError
        }
    }
}
