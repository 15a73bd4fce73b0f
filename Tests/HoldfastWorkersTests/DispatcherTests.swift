import AsyncHTTPClient
import Foundation
import HoldfastCore
import HoldfastSQLite
import HoldfastStore
import HoldfastWorkers
import Logging
import Testing

/// A store with one show, a clock that moves when told, and a dispatcher driven tick by tick.
struct WorkerFixture {
    let stores: SQLiteStore
    let clock: ManualBookingClock
    let booking: BookingService
    let show: Show
    let breakers: CircuitBreakers

    static func make() async throws -> WorkerFixture {
        let stores = try SQLiteStore(path: FileManager.default.temporaryDirectory.appendingPathComponent("holdfast-workers-\(UUID().uuidString).sqlite").path)
        try await stores.migrate()
        let clock = ManualBookingClock()
        let catalog = CatalogService(stores: stores, clock: clock)
        let now = clock.now()
        let movie = Movie(movieId: UUID(), title: "Tidewater", genres: [], createdAt: now)
        try await catalog.saveMovie(movie)
        let theatre = Theatre(theatreId: UUID(), name: "Harbour Hall", address: "Pier 1", timeZone: "Asia/Kolkata", createdAt: now)
        try await catalog.saveTheatre(theatre)
        let screen = Screen(layoutId: UUID(), theatreId: theatre.theatreId, screenName: "Screen 1", layout: .standard, createdAt: now)
        try await catalog.saveScreen(screen)
        let show = try await catalog.createShow(
            movieId: movie.movieId, layoutId: screen.layoutId, startTime: now.addingTimeInterval(86_400), price: Money(minorUnits: 30_000),
            categoryPrices: [:])
        return WorkerFixture(
            stores: stores, clock: clock, booking: BookingService(stores: stores, clock: clock, policy: BookingPolicy()), show: show,
            breakers: CircuitBreakers(failureThreshold: 3, coolDown: 60, clock: clock))
    }

    func dispatcher(
        subscribers: [any EventSubscriber] = [], owner: String = "test", maxAttempts: Int = 8, settings: OutboxDispatcher.Settings = .init()
    ) -> OutboxDispatcher {
        var settings = settings
        settings.retry = RetryPolicy(maxAttempts: maxAttempts, baseDelay: 1, maxDelay: 60)
        return OutboxDispatcher(
            stores: stores, subscribers: subscribers, httpClient: HTTPClient.shared, breakers: breakers, clock: clock,
            settings: settings, owner: owner, logger: Logger(label: "test"), jitter: { 1 })
    }

    func subscribe(_ url: String, types: [String] = ["*"]) async throws -> WebhookSubscription {
        let hook = WebhookSubscription(subscriptionId: UUID(), url: url, eventTypes: types, secret: "a-secret-of-sixteen+", createdAt: clock.now())
        try await stores.saveWebhook(hook)
        return hook
    }

    func purchase(_ seats: [String], by user: String) async throws -> Order {
        let hold = try await booking.createHold(showId: show.showId, seatIds: seats, quantity: nil, userId: user)
        let order = try await booking.createOrder(
            holdId: hold.holdId, customer: Customer(name: "Asha", email: "asha@example.com", phone: "9876543210"), userId: user)
        return try await booking.confirmPayment(orderId: order.orderId, userId: user)
    }
}

@Suite struct DispatcherTests {
    @Test func webhookSignaturesAreHexHMACSHA256OfTimestampDotBody() {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test', b'1700000000.{\"a\":1}', hashlib.sha256).hexdigest())"
        #expect(
            WebhookSubscriber.signature(secret: "whsec_test", timestamp: "1700000000", body: Array(#"{"a":1}"#.utf8))
                == "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789")
        #expect(([0x00, 0x0F, 0xA5, 0xFF] as [UInt8]).lowercaseHex == "000fa5ff")
    }

    @Test func aReceiverThatFailsAndRecoversGetsEveryEventOnceInOrder() async throws {
        let fixture = try await WorkerFixture.make()
        let receiver = WebhookReceiver(failures: 2)
        try await receiver.serve { url in
            let hook = try await fixture.subscribe(url, types: ["OrderCreated", "OrderConfirmed"])
            let order = try await fixture.purchase(["A1"], by: "alice")
            let dispatcher = fixture.dispatcher()
            #expect(try await dispatcher.tick() == 1)  // OrderCreated: 503
            #expect(try await dispatcher.tick() == 0)  // backing off, and OrderConfirmed waits behind it
            fixture.clock.advance(by: 1)
            #expect(try await dispatcher.tick() == 1)  // OrderCreated: 503 again
            fixture.clock.advance(by: 2)
            #expect(try await dispatcher.tick() == 1)  // OrderCreated delivered
            #expect(try await dispatcher.tick() == 1)  // then OrderConfirmed
            let received = await receiver.received
            #expect(received.map(\.type) == ["OrderCreated", "OrderConfirmed"])
            let events = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString)
            #expect(received.map(\.eventId) == events.filter { ["OrderCreated", "OrderConfirmed"].contains($0.type) }.map(\.eventId.uuidString))
            // Signed over timestamp and body with the subscription's secret.
            for message in received {
                #expect(message.signature == "v1=" + WebhookSubscriber.signature(secret: hook.secret, timestamp: message.timestamp, body: message.body))
            }
            let body = try JSONSerialization.jsonObject(with: Data(received[1].body)) as? [String: Any]
            #expect((body?["payload"] as? [String: Any])?["ticketCode"] as? String == order.ticketCode)
            #expect(try await fixture.stores.outboxBacklog().pending == 0)
        }
    }

    @Test func deliveriesDieAfterTheLastAttemptAndCanBeReplayed() async throws {
        let fixture = try await WorkerFixture.make()
        let receiver = WebhookReceiver(failures: 100)
        try await receiver.serve { url in
            _ = try await fixture.subscribe(url, types: ["HoldCreated"])
            _ = try await fixture.booking.createHold(showId: fixture.show.showId, seatIds: ["B1"], quantity: 1, userId: "bob")
            let dispatcher = fixture.dispatcher(maxAttempts: 2)
            #expect(try await dispatcher.tick() == 1)
            fixture.clock.advance(by: 5)
            #expect(try await dispatcher.tick() == 1)
            let dead = try await fixture.stores.deliveries(status: .dead, page: PageRequest())
            #expect(dead.total == 1 && dead.items.first?.attempts == 2 && dead.items.first?.lastError?.contains("503") == true)

            await receiver.setFailures(0)
            let letter = try #require(dead.items.first)
            #expect(try await fixture.stores.replayDelivery(seq: letter.seq, subscriber: letter.subscriber, now: fixture.clock.now()))
            #expect(try await dispatcher.tick() == 1)
            #expect(await receiver.received.map(\.type) == ["HoldCreated"])
            #expect(try await fixture.stores.deliveries(status: .dead, page: PageRequest()).total == 0)
        }
    }

    @Test func anEventCommittedBeforeTheProcessDiedIsDeliveredAfterRestart() async throws {
        let fixture = try await WorkerFixture.make()
        let receiver = WebhookReceiver()
        try await receiver.serve { url in
            _ = try await fixture.subscribe(url)
            _ = try await fixture.booking.createHold(showId: fixture.show.showId, seatIds: ["C1"], quantity: 1, userId: "carol")
            // The first process leases the delivery and dies before delivering it.
            let now = fixture.clock.now()
            let subscriber = try await fixture.stores.webhooks()[0].subscriberName
            _ = try await fixture.stores.fanOutEvents(limit: 10, now: now) { _ in [subscriber] }
            #expect(try await fixture.stores.claimDeliveries(limit: 10, owner: "dead-process", now: now, leaseUntil: now.addingTimeInterval(30)).count == 1)
            // A restarted process finds it once the lease lapses.
            let restarted = fixture.dispatcher(owner: "restarted")
            #expect(try await restarted.tick() == 0)
            fixture.clock.advance(by: 30)
            #expect(try await restarted.tick() == 1)
            #expect(await receiver.received.map(\.type) == ["HoldCreated"])
        }
    }

    @Test func anOpenBreakerHoldsDeliveriesBackWithoutSpendingAttempts() async throws {
        let fixture = try await WorkerFixture.make()
        let receiver = WebhookReceiver(failures: 100)
        try await receiver.serve { url in
            let hook = try await fixture.subscribe(url, types: ["HoldCreated"])
            for (index, user) in ["u1", "u2", "u3", "u4"].enumerated() {
                _ = try await fixture.booking.createHold(showId: fixture.show.showId, seatIds: ["D\(index + 1)"], quantity: 1, userId: user)
            }
            let dispatcher = fixture.dispatcher(maxAttempts: 3)
            #expect(try await dispatcher.tick() == 4)  // four failures (threshold 3): the breaker opens for 60 s
            let openedUntil = fixture.clock.now().addingTimeInterval(60)
            #expect(await fixture.breakers.state(hook.subscriberName) == .open(until: openedUntil))
            fixture.clock.advance(by: 30)
            #expect(try await dispatcher.tick() == 4)  // due again, but refused by the breaker: postponed, no attempt spent
            let pending = try await fixture.stores.claimDeliveries(limit: 10, owner: "peek", now: fixture.clock.now(), leaseUntil: fixture.clock.now())
            #expect(pending.isEmpty, "postponed to the end of the cool-down")
            await receiver.setFailures(0)
            fixture.clock.advance(by: 30)  // cool-down over: half-open lets exactly one trial through
            #expect(try await dispatcher.tick() == 4)
            #expect(await receiver.received.count == 1)
            #expect(await fixture.breakers.state(hook.subscriberName) == .closed(failures: 0))
            fixture.clock.advance(by: 5)
            #expect(try await dispatcher.tick() == 3)
            #expect(await receiver.received.count == 4)
            #expect(try await fixture.stores.deliveries(status: .dead, page: PageRequest()).total == 0, "a refused call is not an attempt")
        }
    }

    @Test func whileThereIsWorkRoundsOverlapAndEveryAggregateStaysInOrder() async throws {
        let fixture = try await WorkerFixture.make()
        var orders: [Order] = []
        for index in 0..<8 { orders.append(try await fixture.purchase(["F\(index + 1)"], by: "buyer-\(index)")) }
        let recorder = SlowRecorder()
        var settings = OutboxDispatcher.Settings()
        settings.batchSize = 4
        settings.roundsInFlight = 2
        let dispatcher = fixture.dispatcher(subscribers: [SlowSubscriber(recorder: recorder)], settings: settings)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await dispatcher.run() }
            let deadline = ContinuousClock.now + .seconds(20)
            // Done when every event arrived and every success was recorded.
            while ContinuousClock.now < deadline {
                let arrived = await recorder.received.count
                if arrived == 40, try await fixture.stores.outboxBacklog().pending == 0 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        let received = await recorder.received
        #expect(received.count == 40, "eight purchases raise forty events")
        #expect(Set(received.map(\.eventId)).count == received.count, "an event went out twice")
        for order in orders {
            let raised = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString)
            #expect(received.filter { $0.aggregateKey == raised[0].aggregateKey }.map(\.eventId) == raised.map(\.eventId))
        }
        #expect(await recorder.mostAtOnce > settings.batchSize, "the second round started while the first was delivering")
        #expect(try await fixture.stores.outboxBacklog().pending == 0, "every success was recorded")
        #expect(try await fixture.stores.deliveries(status: .delivered, page: PageRequest()).total == 40)
    }

    @Test func anIdleDispatcherWaitsForTheDoorbell() async throws {
        let fixture = try await WorkerFixture.make()
        var settings = OutboxDispatcher.Settings()
        settings.pollInterval = .milliseconds(100)
        let dispatcher = fixture.dispatcher(settings: settings)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await dispatcher.run() }
            try await Task.sleep(for: .milliseconds(100))
            let before = fixture.stores.doorbell.count
            try await Task.sleep(for: .milliseconds(500))
            // Every round writes (its fan-out and its lease) and rings: a few rounds per poll, not a spin.
            #expect(fixture.stores.doorbell.count - before < 60)
            group.cancelAll()
        }
    }

    @Test func theNotifierMailsTheConfirmationOncePerEvent() async throws {
        let fixture = try await WorkerFixture.make()
        let notifier = Notifier(stores: fixture.stores, sender: DevMailbox(store: fixture.stores), clock: fixture.clock)
        let order = try await fixture.purchase(["E5", "E6"], by: "erin")
        let dispatcher = fixture.dispatcher(subscribers: [notifier])
        #expect(try await dispatcher.tick() == 1)
        let confirmed = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString).first { $0.type == "OrderConfirmed" }
        try await notifier.deliver(try #require(confirmed))  // a redelivery
        let box = try await fixture.stores.mailbox(page: PageRequest())
        #expect(box.total == 1)
        let mail = try #require(box.items.first)
        #expect(mail.recipient == "asha@example.com" && mail.subject.contains(order.ticketCode!))
        for part in [order.ticketCode!, "Tidewater", "Harbour Hall", "E5, E6", "600.00", "Asia/Kolkata"] {
            #expect(mail.body.contains(part), "mail lacks \(part)")
        }
    }

    @Test func theSweeperEmitsExpiryEventsAndFreesSeats() async throws {
        let fixture = try await WorkerFixture.make()
        let hold = try await fixture.booking.createHold(showId: fixture.show.showId, seatIds: ["F1"], quantity: 1, userId: "fay")
        let sweeper = ExpirySweeper(stores: fixture.stores, clock: fixture.clock, logger: Logger(label: "test"))
        #expect(try await sweeper.sweep() == (0, 0))
        fixture.clock.advance(by: 300)
        #expect(try await sweeper.sweep() == (1, 0))
        #expect(try await fixture.stores.events(aggregateType: "hold", aggregateId: hold.holdId.uuidString).map(\.type) == ["HoldCreated", "HoldExpired"])
        #expect(try await fixture.stores.seatClaims(showId: fixture.show.showId).isEmpty)
    }
}

@Suite struct RetryAndBreakerTests {
    @Test func backoffDoublesWithJitterUpToTheCapAndStops() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 4)
        let now = Date(timeIntervalSince1970: 0)
        #expect(policy.nextAttempt(after: 1, now: now, jitter: 1) == now.addingTimeInterval(1))
        #expect(policy.nextAttempt(after: 2, now: now, jitter: 1) == now.addingTimeInterval(2))
        #expect(policy.nextAttempt(after: 3, now: now, jitter: 0) == now.addingTimeInterval(2))
        #expect(policy.nextAttempt(after: 4, now: now, jitter: 1) == now.addingTimeInterval(4))
        #expect(policy.nextAttempt(after: 5, now: now, jitter: 1) == nil)
    }

    @Test func breakerOpensHalfOpensAndCloses() async {
        let clock = ManualBookingClock()
        let breakers = CircuitBreakers(failureThreshold: 2, coolDown: 10, clock: clock)
        #expect(await breakers.permit("x") == .allowed)
        await breakers.recordFailure("x")
        #expect(await breakers.state("x") == .closed(failures: 1))
        await breakers.recordFailure("x")
        #expect(await breakers.permit("x") == .refused(until: clock.now().addingTimeInterval(10)))
        clock.advance(by: 10)
        #expect(await breakers.permit("x") == .allowed)
        #expect(await breakers.state("x") == .halfOpen)
        #expect(await breakers.permit("x") != .allowed, "one trial at a time")
        await breakers.recordFailure("x")
        #expect(await breakers.state("x") == .open(until: clock.now().addingTimeInterval(10)))
        clock.advance(by: 10)
        _ = await breakers.permit("x")
        await breakers.recordSuccess("x")
        #expect(await breakers.state("x") == .closed(failures: 0))
        #expect(await breakers.permit("y") == .allowed, "breakers are per endpoint")
    }
}

/// Takes its time over each event and records it, and how many were under way at once at most.
actor SlowRecorder {
    private(set) var received: [DomainEvent] = []
    private(set) var mostAtOnce = 0
    private var underWay = 0

    func begin() {
        underWay += 1
        mostAtOnce = max(mostAtOnce, underWay)
    }

    func end(_ event: DomainEvent) {
        underWay -= 1
        received.append(event)
    }
}

struct SlowSubscriber: EventSubscriber {
    let recorder: SlowRecorder
    var name: String { "slow" }
    func accepts(_ event: DomainEvent) -> Bool { true }

    func deliver(_ event: DomainEvent) async throws {
        await recorder.begin()
        // Long enough that the next round has leased and begun its own before this one's end, however busy the
        // machine (20 ms was not, with the whole suite running on two cores).
        try await Task.sleep(for: .milliseconds(250))
        await recorder.end(event)
    }
}
