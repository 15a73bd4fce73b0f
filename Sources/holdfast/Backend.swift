import Foundation
import HoldfastPostgres
import HoldfastSQLite
import HoldfastStore
import Logging
import ServiceLifecycle

/// The store a command runs on: PostgreSQL when DATABASE_URL is a postgres:// URL, else the SQLite file.
struct Backend {
    let stores: any HoldfastStores
    /// What must run for the store to work: the PostgreSQL pool, SQLite's checkpoints.
    let services: [any Service]
    let description: String

    init(_ settings: Settings, logger: Logger) throws {
        if let postgres = settings.postgres {
            let store = PostgresStore(
                configuration: try postgres.clientConfiguration(), logger: logger, deadline: settings.databaseDeadline,
                writesPerShow: postgres.writesPerShow, holdsPerStatement: postgres.holdsPerStatement)
            stores = store
            services = [store]
            description = "postgres"
        } else {
            let store = try SQLiteStore(path: settings.databasePath)
            stores = store
            services = [store]
            description = "sqlite:\(settings.databasePath)"
        }
    }

    /// Runs a one-off job on the store, with its services running for the duration.
    func run<T: Sendable>(_ job: @Sendable (any HoldfastStores) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services { group.addTask { try await service.run() } }
            defer { group.cancelAll() }
            return try await job(stores)
        }
    }
}
