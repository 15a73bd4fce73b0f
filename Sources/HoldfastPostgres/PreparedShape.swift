import Foundation
import HoldfastCore
import Logging
import PostgresNIO

/// A statement whose text never changes — only its binds do — so it can be prepared once per connection and run
/// by name (PostgresNIO prepares it on first use). Planning a purchase's writes anew each time cost PostgreSQL
/// about a third of their time (`pg_stat_statements` with `track_planning`, hot show: a hold 0.22 ms to plan and
/// 0.44 ms to run), and when a show opens that time is what the winning buyers queue for.
protocol PreparedShape {
    /// The statement as its builder makes it, from any values: its text is the text of every statement it built.
    static var template: PostgresQuery { get }
}

/// `Shape`'s statement with the binds of one built statement.
struct PreparedQuery<Shape: PreparedShape>: PostgresPreparedStatement {
    typealias Row = PostgresRandomAccessRow

    /// The shape's own name: PostgreSQL keeps the first 63 bytes of a statement's name, and PostgresNIO's default
    /// (the type's full name) made different shapes' names the same there.
    static var name: String { "holdfast_" + String(describing: Shape.self) }

    static var sql: String { Shape.template.sql }

    let query: PostgresQuery

    func makeBindings() throws -> PostgresBindings { query.binds }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
}

extension PostgresConnection {
    /// Runs `query` as `Shape`'s prepared statement — or as itself, should its text not be the shape's — and
    /// collects its rows.
    func rows<Shape: PreparedShape>(_ query: PostgresQuery, preparedAs shape: Shape.Type, _ logger: Logger) async throws -> [PostgresRandomAccessRow] {
        guard query.sql == Shape.template.sql else { return try await rows(query, logger) }
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await execute(PreparedQuery<Shape>(query: query), logger: logger) { rows.append(row) }
        return rows
    }

    /// Runs `query` as `Shape`'s statement for its effect.
    func execute<Shape: PreparedShape>(_ query: PostgresQuery, preparedAs shape: Shape.Type, _ logger: Logger) async throws {
        _ = try await rows(query, preparedAs: shape, logger)
    }

    /// Runs `query` as `Shape`'s statement and answers the Boolean `column` of its row (false without one).
    func flag<Shape: PreparedShape>(_ column: String, of query: PostgresQuery, preparedAs shape: Shape.Type, _ logger: Logger) async throws -> Bool {
        try await rows(query, preparedAs: shape, logger).first?.value(column, as: Bool.self) ?? false
    }
}

/// Values to build templates from: any will do, only the text is kept.
enum ShapeTemplates {
    static let instant = Date(timeIntervalSince1970: 0)
    static let hold = Hold(
        holdId: UUID(), showId: UUID(), userId: "template", seatIds: ["A1"], status: .held, createdAt: instant, expiresAt: instant)
    static let order = Order(
        orderId: UUID(), userId: "template", showId: hold.showId, holdId: hold.holdId, seatIds: hold.seatIds,
        customer: Customer(name: "template", email: "template@example.com", phone: "0"), amount: .zero, status: .paymentPending,
        createdAt: instant, expiresAt: instant)
    static let payment = Payment(orderId: order.orderId, userId: order.userId, amount: .zero, token: "template", createdAt: instant)
}
