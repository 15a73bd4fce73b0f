import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

/// The embedded store: one SQLite file in WAL mode, one writer, many readers.
public struct SQLiteStore: HoldfastStores {
    let pool: DatabasePool

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw SQLiteStore.translate(error)
        }
    }

    public func migrate() async throws {
        var migrator = DatabaseMigrator()
        for step in SQLiteMigrations.all {
            migrator.registerMigration(step.id) { db in try db.execute(sql: step.sql) }
        }
        do { try migrator.migrate(pool) } catch { throw SQLiteStore.translate(error) }
    }

    public func ping() async throws {
        _ = try await read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Runs `body` in one IMMEDIATE transaction (write lock taken at BEGIN, so no upgrade deadlocks
    /// between processes sharing the file); a thrown error rolls everything back.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw SQLiteStore.translate(error)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch { throw SQLiteStore.translate(error) }
    }

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
