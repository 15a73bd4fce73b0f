import Foundation
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    /// Applies pending migrations in one transaction under an advisory lock, so instances starting
    /// at the same moment take turns and the later ones find nothing to do.
    public func migrate() async throws {
        try await transaction(limit: Self.jobDeadline) { connection in
            try await connection.execute("SELECT pg_advisory_xact_lock(7243911)", logger)
            try await connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger)
            let applied = try await connection.rows("SELECT id FROM schema_migrations ORDER BY id", logger)
                .map { try $0.value("id", as: String.self) }
            let pending = try MigrationPlan.pending(known: PostgresMigrations.all.map(\.id), applied: applied)
            for step in PostgresMigrations.all where pending.contains(step.id) {
                for statement in step.sql {
                    try await connection.execute(PostgresQuery(unsafeSQL: statement), logger)
                }
                try await connection.execute("INSERT INTO schema_migrations (id) VALUES (\(step.id))", logger)
            }
        }
    }

    /// True when every migration this build knows has been applied.
    public func isMigrated() async throws -> Bool {
        try await read { connection in
            let exists = try await connection.rows("SELECT to_regclass('schema_migrations') IS NOT NULL AS present", logger)
                .first?.value("present", as: Bool.self) ?? false
            guard exists else { return false }
            let applied = try await connection.rows("SELECT id FROM schema_migrations ORDER BY id", logger)
                .map { try $0.value("id", as: String.self) }
            return applied == PostgresMigrations.all.map(\.id)
        }
    }
}
