import ArgumentParser
import Configuration
import Foundation
import HoldfastCore
import HoldfastServer
import HoldfastStore
import AsyncHTTPClient
import HoldfastWorkers
import ServiceLifecycle
import Hummingbird
import Logging
import Metrics
import Prometheus

struct HoldfastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holdfast",
        abstract: "Holdfast: seats, rooms and rides, never sold twice.",
        subcommands: [Serve.self, Migrate.self, Demo.self, Reconcile.self, Token.self, LoadBench.self, BenchOutbox.self, BenchReconcile.self, BenchLive.self],
        defaultSubcommand: Serve.self)
}

/// Options every command that opens the store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("database"), help: "SQLite file (env DATABASE_PATH, default ./holdfast.sqlite).")
    var databasePath: String?
    @Option(name: .customLong("database-url"), help: "postgres:// URL; when set, PostgreSQL is the store (env DATABASE_URL).")
    var databaseURL: String?

    func overrides() -> [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let databasePath { values[AbsoluteConfigKey(["database", "path"])] = .init(.string(databasePath), isSecret: false) }
        if let databaseURL { values[AbsoluteConfigKey(["database", "url"])] = .init(.string(databaseURL), isSecret: true) }
        return values
    }
}

/// JSON lines with `LOG_FORMAT=json`, else plain text.
func logHandler(_ settings: Settings) -> @Sendable (String) -> any LogHandler {
    if settings.jsonLogs { return { label in JSONLogHandler(label: label) } }
    return { label in TextLogHandler(label: label) }
}

func makeLogger(_ settings: Settings) -> Logger {
    var logger = Logger(label: "holdfast", factory: logHandler(settings))
    logger.logLevel = settings.logLevel
    return logger
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server (migrates and loads the demo catalog first).")

    @OptionGroup var store: StoreOptions
    @Option(help: "Interface to listen on (env HOST, default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (env PORT, default 8080).") var port: Int?

    func run() async throws {
        var overrides = store.overrides()
        if let host { overrides[AbsoluteConfigKey(["host"])] = .init(.string(host), isSecret: false) }
        if let port { overrides[AbsoluteConfigKey(["port"])] = .init(.int(port), isSecret: false) }
        let settings = try Settings(overrides: overrides)
        // The server is the one long-lived process: every library's loggers write the same format.
        LoggingSystem.bootstrap(logHandler(settings))
        let logger = makeLogger(settings)
        let backend = try Backend(settings, logger: logger)
        let stores = backend.stores
        let clock = SystemBookingClock()
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let dependencies = try await HoldfastDependencies(configuration: settings.server, stores: stores, clock: clock, metrics: registry)
        logger.info(
            "holdfast starting",
            metadata: [
                "address": "http://\(settings.server.host):\(settings.server.port)", "store": "\(backend.description)",
                "devMode": "\(settings.server.devMode)",
            ])
        let gate = StartupGate()
        let webhookClient = WebhookHTTPClient.make()
        var workers: [any Service] = []
        let workerThread = WorkerThread()
        if settings.workersEnabled {
            let mail: any MailSender = settings.smtp.map { SMTPSender(settings: $0) } ?? DevMailbox(store: stores)
            let notifier = Notifier(stores: stores, sender: mail, clock: clock)
            let gatewayCallbacks = SimulatedGatewayCallbacks(
                stores: stores, gateway: dependencies.payments.gateway, client: webhookClient, callbackURL: settings.paymentWebhookURL,
                secret: settings.server.paymentWebhookSecret, clock: clock)
            let breakers = CircuitBreakers(failureThreshold: settings.breakerThreshold, coolDown: settings.breakerCoolDown, clock: clock)
            let dispatcher = OutboxDispatcher(
                stores: stores, subscribers: [notifier, PriceChangeHandler(stores: stores, clock: clock), gatewayCallbacks], httpClient: webhookClient, breakers: breakers, clock: clock,
                settings: settings.dispatcher, logger: logger)
            let sweeper = ExpirySweeper(stores: stores, clock: clock, interval: settings.sweepInterval, logger: logger)
            let overbooking = OverbookingWatch(stores: stores, clock: clock, interval: settings.overbookingInterval, logger: logger)
            let reconciliation = ReconciliationWorker(stores: stores, clock: clock, interval: settings.reconcileInterval, logger: logger)
            let calls = MissedCallSweeper(conversations: dependencies.conversations, logger: logger)
            let refunds = RefundWorker(
                stores: stores, gateway: dependencies.payments.gateway, clock: clock, retry: settings.dispatcher.retry, logger: logger)
            let waitlist = WaitlistWorker(
                waitlist: WaitlistService(booking: BookingService(stores: stores, clock: clock, policy: settings.server.policy)), logger: logger)
            let services: [any Service] = [dispatcher, sweeper, overbooking, reconciliation, calls, refunds, waitlist]
            workers = services.map { OnWorkerThread(workerThread, GatedService(gate: gate, $0)) }
        }
        let app = buildApplication(dependencies, logger: logger) {
            if settings.migrateOnStart { try await stores.migrate() }
            await stores.warmUp()
            if settings.loadDemoData, try await DemoCatalog.loadIfEmpty(into: CatalogService(stores: stores, clock: clock)) {
                logger.info("loaded the demo catalog", metadata: ["store": "\(backend.description)"])
            }
            if settings.loadDemoData, try await DemoHotels.loadIfEmpty(into: stores, clock: clock) {
                logger.info("loaded the demo hotels", metadata: ["store": "\(backend.description)"])
            }
            await gate.open()
        }
        // Shutdown runs in reverse: workers stop first, then the webhook client closes (its idle keep-alive
        // connections to this very server — the payment gateway's callbacks — would otherwise keep the HTTP
        // drain waiting for their idle timeout), then HTTP drains, then the database pool closes.
        var configuration = ServiceGroupConfiguration(
            services: backend.services + [app, ClosesOnShutdown(client: webhookClient)] + [
                LiveRelay(dependencies: dependencies, logger: logger) as any Service, SeatFeed(dependencies: dependencies, logger: logger),
            ].map { GatedService(gate: gate, $0) } + workers,
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A stop always ends: requests in flight get the grace period (a payment waits at most its gateway timeout,
        // a store call its deadline), then what is left is cancelled, and a service that ignores cancellation
        // ends the process rather than leave it hanging (seen once with the database stopped mid-shutdown).
        configuration.maximumGracefulShutdownDuration = .seconds(30)
        configuration.maximumCancellationDuration = .seconds(10)
        let group = ServiceGroup(configuration: configuration)
        do {
            try await group.run()
        } catch {
            try? await webhookClient.shutdown()
            try? await workerThread.shutdown()
            throw error
        }
        try await workerThread.shutdown()
    }
}

/// Keeps an HTTP client open until graceful shutdown reaches it, then closes it and its connections.
struct ClosesOnShutdown: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let settings = try Settings(overrides: store.overrides())
        let backend = try Backend(settings, logger: makeLogger(settings))
        try await backend.run { try await $0.migrate() }
        print("migrations applied (\(backend.description))")
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo catalog into an empty store.")
    @OptionGroup var store: StoreOptions

    func run() async throws {
        let settings = try Settings(overrides: store.overrides())
        let backend = try Backend(settings, logger: makeLogger(settings))
        let loaded = try await backend.run { stores in
            try await stores.migrate()
            let movies = try await DemoCatalog.loadIfEmpty(into: CatalogService(stores: stores, clock: SystemBookingClock()))
            let hotels = try await DemoHotels.loadIfEmpty(into: stores, clock: SystemBookingClock())
            return movies || hotels
        }
        print(loaded ? "demo data loaded (\(backend.description))" : "the store already has demo data; nothing loaded")
    }
}

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a bearer token signed with JWT_SECRET.")

    @Option(help: "User id (the token's subject).") var user: String
    @Option(help: "customer, admin or usher.") var role: String = "customer"
    @Option(help: "Lifetime in seconds.") var ttl: Int = 3600

    func run() async throws {
        guard let role = Identity.Role(rawValue: role) else { throw ValidationError("role must be customer, admin or usher") }
        let settings = try Settings()
        let authenticator = await Authenticator(secret: settings.server.jwtSecret, devMode: false)
        print(try await authenticator.token(userId: user, role: role, expiresAt: Date().addingTimeInterval(Double(ttl))))
    }
}
