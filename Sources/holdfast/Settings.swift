import ArgumentParser
import Configuration
import HoldfastCore
import HoldfastServer
import HoldfastPostgres
import HoldfastWorkers
import Logging

/// All configuration, read in this one place: command-line options first, then environment
/// variables (HOST, PORT, DATABASE_PATH, HOLD_TTL_SECONDS, …), then defaults.
struct Settings {
    static let devSecret = "holdfast-development-secret-not-for-production"

    var server: ServerConfiguration
    var databasePath: String
    /// Set when DATABASE_URL names a PostgreSQL server.
    var postgres: PostgresSettings?
    var databaseDeadline: Duration
    var loadDemoData: Bool
    var migrateOnStart: Bool
    var logLevel: Logger.Level
    /// One JSON object per log line instead of text.
    var jsonLogs: Bool
    var workersEnabled: Bool
    var dispatcher: OutboxDispatcher.Settings
    var sweepInterval: Duration
    var overbookingInterval: Duration
    var reconcileInterval: Duration
    var breakerThreshold: Int
    var breakerCoolDown: Double
    var paymentWebhookURL: String
    /// Set when SMTP_HOST is: confirmations go out by mail instead of into the dev mailbox.
    var smtp: SMTPSender.Settings?

    init(overrides: [AbsoluteConfigKey: ConfigValue] = [:]) throws {
        let config = ConfigReader(providers: [
            InMemoryProvider(name: "arguments", values: overrides),
            EnvironmentVariablesProvider(),
        ])
        let host = config.string(forKey: "host", default: "127.0.0.1")
        let port = config.int(forKey: "port", default: 8080)
        guard (0...65_535).contains(port) else { throw ValidationError("PORT must be 0-65535") }
        let production = config.string(forKey: "holdfast.env", default: "development").lowercased() == "production"
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1"
        let devMode = config.bool(forKey: "dev.mode", default: !production && loopback)
        if production && devMode { throw ValidationError("DEV_MODE cannot be on when HOLDFAST_ENV=production") }
        let secret = config.string(forKey: "jwt.secret", isSecret: true, default: production ? "" : Self.devSecret)
        guard secret.utf8.count >= 32 else {
            throw ValidationError("JWT_SECRET must be set to at least 32 bytes when HOLDFAST_ENV=production")
        }
        let policy = BookingPolicy(
            holdTTL: Double(try Self.positive(config, "hold.ttl.seconds", default: 300)),
            orderTTL: Double(try Self.positive(config, "order.ttl.seconds", default: 300)),
            maxSeatsPerHold: try Self.positive(config, "hold.max.seats", default: 10),
            maxHoldExtensions: config.int(forKey: "hold.max.extensions", default: 2))
        let paymentSecret = config.string(
            forKey: "payment.webhook.secret", isSecret: true, default: production ? "" : "holdfast-development-payment-webhook-secret")
        guard paymentSecret.utf8.count >= 32 else {
            throw ValidationError("PAYMENT_WEBHOOK_SECRET must be set to at least 32 bytes when HOLDFAST_ENV=production")
        }
        server = ServerConfiguration(
            host: host, port: port, devMode: devMode, jwtSecret: secret, policy: policy,
            maxBodyBytes: try Self.positive(config, "max.body.bytes", default: 64 * 1024), paymentWebhookSecret: paymentSecret,
            paymentTimeout: .milliseconds(try Self.positive(config, "payment.timeout.ms", default: 5_000)))
        server.callRingTimeout = Double(try Self.positive(config, "call.ring.timeout.seconds", default: 30))
        let limits = RateLimits()
        server.rateLimits = RateLimits(
            enabled: config.bool(forKey: "rate.limits", default: true),
            userReadsPerSecond: Double(try Self.positive(config, "rate.limit.user.reads", default: Int(limits.userReadsPerSecond))),
            userWritesPerSecond: Double(try Self.positive(config, "rate.limit.user.writes", default: Int(limits.userWritesPerSecond))),
            addressReadsPerSecond: Double(try Self.positive(config, "rate.limit.address.reads", default: Int(limits.addressReadsPerSecond))),
            addressWritesPerSecond: Double(try Self.positive(config, "rate.limit.address.writes", default: Int(limits.addressWritesPerSecond))))
        let callbackHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        let smtpHost = config.string(forKey: "smtp.host", default: "")
        if smtpHost.isEmpty {
            smtp = nil
        } else {
            let tls = config.string(forKey: "smtp.tls", default: "none")
            guard tls == "none" || tls == "implicit" else { throw ValidationError("SMTP_TLS must be none or implicit") }
            let username = config.string(forKey: "smtp.username", default: "")
            smtp = SMTPSender.Settings(
                host: smtpHost, port: config.int(forKey: "smtp.port", default: tls == "implicit" ? 465 : 25),
                from: config.string(forKey: "smtp.from", default: "tickets@holdfast.local"),
                username: username.isEmpty ? nil : username, password: config.string(forKey: "smtp.password", isSecret: true, default: ""),
                implicitTLS: tls == "implicit")
        }
        paymentWebhookURL = config.string(forKey: "payment.webhook.url", default: "http://\(callbackHost):\(port)/payments/webhook")
        databasePath = config.string(forKey: "database.path", default: "holdfast.sqlite")
        let url = config.string(forKey: "database.url", isSecret: true, default: "")
        if url.isEmpty {
            postgres = nil
        } else {
            guard PostgresSettings.isPostgresURL(url) else { throw ValidationError("DATABASE_URL must be a postgres:// URL") }
            let tlsText = config.string(forKey: "database.tls", default: "prefer")
            guard let tls = PostgresSettings.TLSMode(rawValue: tlsText) else {
                throw ValidationError("DATABASE_TLS must be disable, prefer or require")
            }
            postgres = PostgresSettings(
                url: url, poolSize: try Self.positive(config, "database.pool.size", default: 20), tls: tls,
                writesPerShow: try Self.positive(config, "database.writes.per.show", default: PostgresSettings.defaultWritesPerShow),
                holdsPerStatement: try Self.positive(config, "database.holds.per.statement", default: PostgresSettings.defaultHoldsPerStatement))
            _ = try postgres?.clientConfiguration()
        }
        databaseDeadline = .seconds(try Self.positive(config, "database.timeout.seconds", default: 5))
        loadDemoData = config.bool(forKey: "demo.data", default: !production)
        migrateOnStart = config.bool(forKey: "migrate.on.start", default: true)
        let level = config.string(forKey: "log.level", default: "info")
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw ValidationError("LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical")
        }
        self.logLevel = logLevel
        let format = config.string(forKey: "log.format", default: "text")
        guard ["text", "json"].contains(format) else { throw ValidationError("LOG_FORMAT must be text or json") }
        jsonLogs = format == "json"
        workersEnabled = config.bool(forKey: "workers.enabled", default: true)
        var dispatcher = OutboxDispatcher.Settings()
        dispatcher.retry.maxAttempts = try Self.positive(config, "outbox.max.attempts", default: 8)
        dispatcher.retry.baseDelay = Double(try Self.positive(config, "outbox.retry.base.ms", default: 1_000)) / 1_000
        dispatcher.pollInterval = .milliseconds(try Self.positive(config, "outbox.poll.ms", default: 100))
        dispatcher.lease = Double(try Self.positive(config, "outbox.lease.seconds", default: 30))
        self.dispatcher = dispatcher
        sweepInterval = .milliseconds(try Self.positive(config, "sweep.interval.ms", default: 1_000))
        overbookingInterval = .milliseconds(try Self.positive(config, "overbooking.interval.ms", default: 5_000))
        reconcileInterval = .seconds(try Self.positive(config, "reconcile.interval.seconds", default: 300))
        breakerThreshold = try Self.positive(config, "webhook.breaker.failures", default: 5)
        breakerCoolDown = Double(try Self.positive(config, "webhook.breaker.cooldown.seconds", default: 30))
    }

    private static func positive(_ config: ConfigReader, _ key: String, default value: Int) throws -> Int {
        let result = config.int(forKey: ConfigKey(key), default: value)
        guard result > 0 else {
            throw ValidationError("\(key.uppercased().replacingOccurrences(of: ".", with: "_")) must be a positive number")
        }
        return result
    }
}
