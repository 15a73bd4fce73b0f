import HoldfastCore
import HoldfastStore
import HoldfastWorkers
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// Everything a running server is made of; built once and shared by every request.
public struct HoldfastDependencies: Sendable {
    public let configuration: ServerConfiguration
    public let stores: any HoldfastStores
    public let clock: any BookingClock
    public let authenticator: Authenticator
    /// Signs and checks waiting-room admissions.
    public let admissions: AdmissionTokens
    public let payments: PaymentService
    public let conversations: ConversationService
    /// Live WebSocket subscriptions in this process.
    public let hub: LiveHub
    /// HTML templates and static files of the web front end.
    public let pages: Pages
    /// Served at /metrics when set (the CLI bootstraps swift-metrics with it).
    public let metrics: PrometheusCollectorRegistry?
    let rateLimiter = RateLimiter()
    let requestIds = RequestIds()
    let requestInstruments = RequestInstruments()
    /// Anonymous seat-map reads answered on the event loop (`FastLane`).
    let seatMapLane: SeatMapLane
    /// Holds the seat snapshot refuses, answered on the event loop (`FastLane`).
    let holdLane: HoldLane
    /// Seat maps kept encoded, for the router and the fast lane alike.
    var seatMaps: SeatMapCache { seatMapLane.seatMaps }

    public init(
        configuration: ServerConfiguration, stores: any HoldfastStores, clock: any BookingClock,
        gateway: any PaymentGateway = SimulatedGateway(), metrics: PrometheusCollectorRegistry? = nil
    ) async throws {
        self.metrics = metrics
        self.pages = try await Pages.load()
        self.configuration = configuration
        self.stores = stores
        self.clock = clock
        self.payments = PaymentService(
            stores: stores, gateway: gateway, clock: clock, timeout: configuration.paymentTimeout,
            webhookSecret: configuration.paymentWebhookSecret)
        let hub = LiveHub()
        self.hub = hub
        // A store that shares live messages reaches this instance's clients through `LiveRelay`, like every other's.
        let publishesItself = !stores.sharesLiveMessages
        self.conversations = ConversationService(stores: stores, clock: clock, ringTimeout: configuration.callRingTimeout) { message in
            guard publishesItself else { return }
            await hub.publish(LiveEvents.message(message), on: LiveEvents.conversationTopic(message.bookingCode))
        }
        self.authenticator = await Authenticator(secret: configuration.jwtSecret, devMode: configuration.devMode)
        self.admissions = await AdmissionTokens(secret: configuration.jwtSecret)
        let seatMapLane = SeatMapLane(
            seatMaps: SeatMapCache(snapshots: SeatSnapshots(stores: stores, clock: clock), clock: clock), limits: configuration.rateLimits,
            limiter: rateLimiter, clock: clock, ids: requestIds, instruments: requestInstruments, serverName: "holdfast")
        self.seatMapLane = seatMapLane
        self.holdLane = HoldLane(
            booking: BookingService(stores: stores, clock: clock, policy: configuration.policy, snapshots: seatMapLane.seatMaps.snapshots),
            authenticator: authenticator, maxBodyBytes: configuration.maxBodyBytes, seatMaps: seatMapLane)
    }
}

/// The router for WebSocket upgrades (`GET /ws`), with the same authentication as HTTP.
public func buildWebSocketRouter(_ dependencies: HoldfastDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware(clock: dependencies.clock))
    router.add(middleware: NULRefusingMiddleware())
    router.add(middleware: AuthMiddleware(authenticator: dependencies.authenticator))
    router.add(middleware: QueryCredentialsMiddleware(authenticator: dependencies.authenticator))
    LiveController(hub: dependencies.hub, conversations: dependencies.conversations, stores: dependencies.stores, clock: dependencies.clock)
        .addRoutes(to: router)
    return router
}

/// The router with every route and middleware; tests drive it directly.
public func buildRouter(_ dependencies: HoldfastDependencies) -> Router<AppRequestContext> {
    let configuration = dependencies.configuration
    let catalog = CatalogService(stores: dependencies.stores, clock: dependencies.clock)
    let booking = dependencies.holdLane.booking
    let idempotency = IdempotencyGate(
        store: dependencies.stores, clock: dependencies.clock, lockSeconds: configuration.idempotencyLockSeconds)

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIdMiddleware(ids: dependencies.requestIds))
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: RequestMetricsMiddleware(instruments: dependencies.requestInstruments))
    router.add(middleware: ErrorMiddleware(clock: dependencies.clock))
    router.add(middleware: NULRefusingMiddleware())
    router.add(middleware: AuthMiddleware(authenticator: dependencies.authenticator))
    router.add(middleware: RateLimitMiddleware(limits: configuration.rateLimits, limiter: dependencies.rateLimiter, clock: dependencies.clock))
    router.get("health") { _, _ in try JSONReply(["status": "ok"]) }
    // Ready for traffic: the store answers and its schema is this build's.
    router.get("ready") { _, _ in
        try await dependencies.stores.ping()
        guard try await dependencies.stores.isMigrated() else {
            throw HoldfastError(.unavailable, code: "NOT_MIGRATED", message: "Migrations are pending: run `holdfast migrate`")
        }
        return try JSONReply(["status": "ready"])
    }
    if let registry = dependencies.metrics {
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
    let apiDocument = ByteBuffer(string: dependencies.pages.apiDocument)
    router.get("openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: apiDocument))
    }
    CatalogController(catalog: catalog, seatMaps: dependencies.seatMaps).addRoutes(to: router)
    router.add(middleware: FileMiddleware(dependencies.pages.staticFolder, urlBasePath: "/static", cacheControl: .init([(MediaType(type: .any), [.maxAge(300)])])))
    WebController(pages: dependencies.pages, catalog: catalog, devMode: configuration.devMode).addRoutes(to: router)
    let waitingRoom = WaitingRoomGate(admissions: dependencies.admissions, clock: dependencies.clock)
    HoldsController(
        booking: booking, idempotency: idempotency, waitingRoom: waitingRoom, maxBodyBytes: configuration.maxBodyBytes, lane: dependencies.holdLane)
        .addRoutes(to: router)
    WaitingRoomController(
        stores: dependencies.stores, clock: dependencies.clock, admissions: dependencies.admissions, maxBodyBytes: configuration.maxBodyBytes
    ).addRoutes(to: router)
    OrdersController(booking: booking, payments: dependencies.payments, idempotency: idempotency, maxBodyBytes: configuration.maxBodyBytes)
        .addRoutes(to: router)
    let hotels = HotelService(stores: dependencies.stores, clock: dependencies.clock)
    HotelsController(hotels: hotels, idempotency: idempotency, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: router)
    HotelAdminController(hotels: hotels, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: router)
    HotelPagesController(pages: dependencies.pages, hotels: hotels).addRoutes(to: router)
    PMSController(hotels: hotels, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: router)
    ConversationsController(conversations: dependencies.conversations, idempotency: idempotency, maxBodyBytes: configuration.maxBodyBytes)
        .addRoutes(to: router)
    ReconciliationController(reconciler: Reconciler(stores: dependencies.stores, clock: dependencies.clock), stores: dependencies.stores)
        .addRoutes(to: router)
    PaymentsController(payments: dependencies.payments, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: router)
    AdminController(catalog: catalog, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: router)
    ReportsController(booking: booking).addRoutes(to: router)
    WaitlistController(waitlist: WaitlistService(booking: booking), maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: router)
    TicketsController(stores: dependencies.stores, clock: dependencies.clock, maxBodyBytes: configuration.maxBodyBytes)
        .addRoutes(to: router)
    RefundsAdminController(stores: dependencies.stores, clock: dependencies.clock).addRoutes(to: router)
    CheckInController(stores: dependencies.stores, clock: dependencies.clock, maxBodyBytes: configuration.maxBodyBytes).addRoutes(to: router)
    OutboxAdminController(stores: dependencies.stores, clock: dependencies.clock, maxBodyBytes: configuration.maxBodyBytes)
        .addRoutes(to: router)
    return router
}

/// The HTTP server on `configuration.host:port`, with the long-running `services` it needs (the
/// database pool) and `prepare` (migrations, demo data) run after they start and before it listens.
/// Anonymous seat-map reads and holds the seat snapshot refuses take the fast lane (`FastLane`) unless requests are
/// logged one by one (debug), which only the router does.
public func buildApplication(
    _ dependencies: HoldfastDependencies, services: [any Service] = [], logger: Logger,
    prepare: @escaping @Sendable () async throws -> Void = {}
) -> some ApplicationProtocol {
    let configuration = dependencies.configuration
    let lane = dependencies.seatMapLane
    let fastLane = logger.logLevel > .debug
    var app = Application(
        router: buildRouter(dependencies),
        server: .http1WebSocketUpgrade(
            webSocketRouter: buildWebSocketRouter(dependencies),
            configuration: .init(http1: .init(additionalChannelHandlers: fastLane ? [FastLane.Installer(lane: lane, holds: dependencies.holdLane)] : []))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: lane.serverName),
        services: services + [SeatMapChecks(snapshots: dependencies.seatMaps.snapshots)],
        logger: logger)
    app.beforeServerStarts(perform: prepare)
    return app
}
