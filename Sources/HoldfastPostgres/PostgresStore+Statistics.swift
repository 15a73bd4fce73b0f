import Foundation
import HoldfastStore
import Logging
import PostgresNIO

extension PostgresStore {
    /// How often the store looks for tables that outgrew their statistics.
    static let statisticsInterval: Duration = .seconds(5)

    /// Analyzes every table changed by more rows since its last analysis than it had then (and by more than 1,000),
    /// so the statistics are never off by more than about twice; answers the tables it analyzed. Prepared
    /// statements keep the plan made from the statistics of the moment, and autovacuum looks at a database about
    /// once a minute: a seat table analyzed nearly empty and filled a hundredfold by a sale within that minute was
    /// read whole by every seat-map check (`spread` after a hot show: 1,879 full scans of `seat_claims` reading 4.5M
    /// rows in 10 s; 230 against ~280 purchases/s). An analysis makes PostgreSQL plan again the statements that read
    /// the table. A round that finds nothing is one small read; one instance analyzes at a time (an advisory lock;
    /// the others skip).
    @discardableResult
    public func analyzeGrownTables() async throws -> [String] {
        guard try await !grownTables().isEmpty else { return [] }
        return try await maintenance { connection in
            let locked = try await connection.rows("SELECT pg_try_advisory_xact_lock(7243913) AS locked", logger)
                .first?.value("locked", as: Bool.self) ?? false
            guard locked else { return [] }
            let tables = try await Self.grownTables(connection, logger)
            for table in tables {
                try await connection.execute(PostgresQuery(unsafeSQL: "ANALYZE \"\(table.replacingOccurrences(of: "\"", with: "\"\""))\""), logger)
            }
            return tables
        }
    }

    private func grownTables() async throws -> [String] {
        try await read { connection in try await Self.grownTables(connection, logger) }
    }

    private static func grownTables(_ connection: PostgresConnection, _ logger: Logger) async throws -> [String] {
        try await connection.rows(
            """
            SELECT s.relname AS name FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE s.schemaname = current_schema() AND s.n_mod_since_analyze > GREATEST(1000, c.reltuples)
            ORDER BY s.relname
            """, logger
        ).map { try $0.value("name", as: String.self) }
    }

    /// Runs `analyzeGrownTables` every `statisticsInterval`, the first an interval after the start, until graceful
    /// shutdown.
    func keepStatistics() async {
        guard (try? await Task.sleep(for: Self.statisticsInterval)) != nil else { return }
        await WorkerLoop.run("table statistics", logger: logger, every: Self.statisticsInterval) {
            let analyzed = try await analyzeGrownTables()
            if !analyzed.isEmpty { logger.debug("analyzed tables that outgrew their statistics", metadata: ["tables": "\(analyzed)"]) }
        }
    }
}
