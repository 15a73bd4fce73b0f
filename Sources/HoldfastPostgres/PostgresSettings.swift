import Foundation
import NIOSSL
import PostgresNIO

/// How to reach PostgreSQL: a `postgres://user:password@host:port/database?sslmode=…` URL, a pool size
/// and a TLS mode (`disable`, `prefer`, `require`; `sslmode` in the URL wins); how many of one show's holds,
/// orders and settlements run at once (see `ShowWriteQueue`), and how many first holds queued together for a show
/// one statement may write (see `WriteGatherings`).
public struct PostgresSettings: Sendable {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var url: String
    public var poolSize: Int
    public var tls: TLSMode
    public var writesPerShow: Int
    public var holdsPerStatement: Int

    /// Three: on two cores, two to four at a time had the shortest hot-show holds (README, thirteenth round).
    public static let defaultWritesPerShow = 3
    public static let defaultHoldsPerStatement = 16

    public init(
        url: String, poolSize: Int = 20, tls: TLSMode = .prefer, writesPerShow: Int = defaultWritesPerShow,
        holdsPerStatement: Int = defaultHoldsPerStatement
    ) {
        self.url = url
        self.poolSize = poolSize
        self.tls = tls
        self.writesPerShow = writesPerShow
        self.holdsPerStatement = holdsPerStatement
    }

    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public func clientConfiguration() throws -> PostgresClient.Configuration {
        guard Self.isPostgresURL(url), let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else {
            throw SettingsError("DATABASE_URL must look like postgres://user:password@host:5432/database")
        }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        let mode = try parts.queryItems?.first(where: { $0.name == "sslmode" })?.value.map { value in
            guard let mode = TLSMode(rawValue: value) else { throw SettingsError("sslmode must be disable, prefer or require") }
            return mode
        } ?? tls
        let tlsSetting: PostgresClient.Configuration.TLS = switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: parts.user?.removingPercentEncoding ?? "postgres",
            password: parts.password?.removingPercentEncoding, database: database.isEmpty ? nil : database, tls: tlsSetting)
        guard (1...500).contains(poolSize) else { throw SettingsError("DATABASE_POOL_SIZE must be 1-500") }
        guard (1...500).contains(writesPerShow) else { throw SettingsError("DATABASE_WRITES_PER_SHOW must be 1-500") }
        guard (1...100).contains(holdsPerStatement) else { throw SettingsError("DATABASE_HOLDS_PER_STATEMENT must be 1-100") }
        configuration.options.maximumConnections = poolSize
        // Connections open on demand (the store's warm-up opens them all at start) and stay open for ten idle
        // minutes. Not a minimum: PostgresNIO's pool traps (a precondition) on a lease after PostgreSQL went away
        // while it kept a minimum of connections — seen when the database restarted under a running server.
        configuration.options.minimumConnections = 0
        configuration.options.connectionIdleTimeout = .seconds(600)
        configuration.options.connectTimeout = .seconds(3)
        return configuration
    }
}

public struct SettingsError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
