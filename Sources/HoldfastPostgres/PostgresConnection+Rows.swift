import Foundation
import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `query` and collects its rows, each ready for access by column name.
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// Runs a statement for its effect (to count changed rows, give it `RETURNING` and use `rows`).
    func execute(_ query: PostgresQuery, _ logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }
}

extension PostgresStore {
    /// A column list such as `orderColumns` with each column taken from the table `alias` names (for a join), and
    /// with `prefix`, each answered under its name with that prefix (when two tables' columns share names). A column
    /// given as `expression AS name` keeps its expression: `rating::text AS rating` becomes `m.rating::text AS m_rating`.
    static func qualified(_ columns: String, by alias: String, prefix: String? = nil) -> String {
        columns.split(separator: ",").map { column in
            let item = column.trimmingCharacters(in: .whitespacesAndNewlines)
            let parts = item.components(separatedBy: " AS ")
            let (expression, name) = parts.count == 2 ? (parts[0], parts[1]) : (item, item)
            let answeredAs = prefix.map { $0 + name } ?? (expression == name ? nil : name)
            return answeredAs.map { "\(alias).\(expression) AS \($0)" } ?? "\(alias).\(expression)"
        }.joined(separator: ", ")
    }
}

extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}
