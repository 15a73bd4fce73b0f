import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct OutboxStoreTests {
    static func types(_ fixture: Fixture, _ aggregate: String, _ id: UUID) async throws -> [String] {
        try await fixture.stores.events(aggregateType: aggregate, aggregateId: id.uuidString).map(\.type)
    }

    @Test(arguments: StoreBackend.available)
    func everyChangeRecordsItsEvents(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let first = try await fixture.hold(["A1"], by: "alice")
            let second = try await fixture.hold(["A2"], by: "alice")  // replaces the first
            #expect(try await Self.types(fixture, "hold", first.holdId) == ["HoldCreated", "HoldReleased"])
            _ = try await fixture.booking.updateHold(second.holdId, userId: "alice", seatIds: ["A2", "A3"], quantity: nil, extend: true)
            let order = try await fixture.booking.createOrder(holdId: second.holdId, customer: Fixture.customer, userId: "alice")
            let paid = try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "alice")
            _ = try await fixture.booking.cancelOrder(order.orderId, userId: "alice")
            #expect(try await Self.types(fixture, "hold", second.holdId) == ["HoldCreated", "HoldUpdated"])
            #expect(try await Self.types(fixture, "order", order.orderId) == [
                "OrderCreated", "PaymentInitiated", "PaymentSucceeded", "OrderConfirmed", "OrderCancelled",
            ])
            let confirmed = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString)[3]
            #expect(confirmed.payload.contains(paid.ticketCode!) && confirmed.payload.contains("\"A3\""))
            #expect(!confirmed.payload.contains("asha@example.com"), "events carry no customer contact details")

            let released = try await fixture.hold(["B1"], by: "bob")
            _ = try await fixture.booking.releaseHold(released.holdId, userId: "bob")
            #expect(try await Self.types(fixture, "hold", released.holdId) == ["HoldCreated", "HoldReleased"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func aRefusedChangeRecordsNothing(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            _ = try await fixture.hold(["C1"], by: "alice")
            let before = try await fixture.stores.outboxBacklog().unfanned
            await #expect(throws: HoldfastError.self) { try await fixture.hold(["C1", "C2"], by: "bob") }
            #expect(try await fixture.stores.outboxBacklog().unfanned == before)
        }
    }

    @Test(arguments: StoreBackend.available)
    func theSweeperExpiresHoldsAndOrdersAndFreesTheirSeats(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let lapsedHold = try await fixture.hold(["D1"], by: "alice")
            let lapsedOrder = try await fixture.order(["D2"], by: "bob")
            fixture.clock.advance(by: 200)
            let liveHold = try await fixture.hold(["D3"], by: "carol")
            fixture.clock.advance(by: 150)  // first two lapsed, the third has 150 s left
            let swept = try await fixture.stores.expireDue(now: fixture.clock.now(), limit: 100)
            #expect(swept.holds == 1 && swept.orders == 1)
            #expect(try await Self.types(fixture, "hold", lapsedHold.holdId) == ["HoldCreated", "HoldExpired"])
            #expect(try await Self.types(fixture, "order", lapsedOrder.orderId) == ["OrderCreated", "OrderExpired"])
            #expect(try await fixture.booking.hold(lapsedHold.holdId, userId: "alice").status == .expired)
            #expect(try await fixture.booking.order(lapsedOrder.orderId, userId: "bob").status == .expired)
            #expect(try await fixture.stores.seatClaims(showId: fixture.show.showId).map(\.seatId) == ["D3"])
            #expect(try await fixture.booking.hold(liveHold.holdId, userId: "carol").status == .held)
            let again = try await fixture.stores.expireDue(now: fixture.clock.now(), limit: 100)
            #expect(again.holds == 0 && again.orders == 0)
        }
    }

    @Test(arguments: StoreBackend.available)
    func deliveriesRetryDieAndReplay(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let hold = try await fixture.hold(["E1"], by: "alice")
            _ = try await fixture.booking.releaseHold(hold.holdId, userId: "alice")
            let now = fixture.clock.now()
            #expect(try await fixture.stores.fanOutEvents(limit: 100, now: now) { _ in ["audit", "mirror"] } == 2)
            #expect(try await fixture.stores.fanOutEvents(limit: 100, now: now) { _ in ["audit"] } == 0)

            // In order per aggregate: only HoldCreated is claimable for each subscriber.
            let first = try await fixture.stores.claimDeliveries(limit: 10, owner: "one", now: now, leaseUntil: now.addingTimeInterval(30))
            #expect(first.map(\.event.type) == ["HoldCreated", "HoldCreated"])
            #expect(try await fixture.stores.claimDeliveries(limit: 10, owner: "two", now: now, leaseUntil: now.addingTimeInterval(30)).isEmpty)

            let audit = try #require(first.first { $0.subscriber == "audit" })
            let mirror = try #require(first.first { $0.subscriber == "mirror" })
            try await fixture.stores.completeDeliveries([audit], now: now)
            try await fixture.stores.failDelivery(seq: mirror.seq, subscriber: "mirror", error: "503", retryAt: now.addingTimeInterval(10))
            let next = try await fixture.stores.claimDeliveries(limit: 10, owner: "two", now: now, leaseUntil: now.addingTimeInterval(30))
            #expect(next.map(\.subscriber) == ["audit"] && next.map(\.event.type) == ["HoldReleased"])

            let retried = try await fixture.stores.claimDeliveries(limit: 10, owner: "two", now: now.addingTimeInterval(10), leaseUntil: now.addingTimeInterval(40))
            #expect(retried.map(\.subscriber) == ["mirror"] && retried.first?.attempts == 1)
            try await fixture.stores.failDelivery(seq: mirror.seq, subscriber: "mirror", error: "gave up", retryAt: nil)
            let dead = try await fixture.stores.deliveries(status: .dead, page: PageRequest())
            #expect(dead.items.map(\.subscriber) == ["mirror"] && dead.items.first?.lastError == "gave up" && dead.items.first?.attempts == 2)
            // A dead delivery no longer holds back the rest of its aggregate.
            let after = try await fixture.stores.claimDeliveries(limit: 10, owner: "two", now: now.addingTimeInterval(11), leaseUntil: now.addingTimeInterval(60))
            #expect(after.map(\.subscriber) == ["mirror"] && after.map(\.event.type) == ["HoldReleased"])

            #expect(try await fixture.stores.replayDelivery(seq: mirror.seq, subscriber: "mirror", now: now))
            #expect(try await !fixture.stores.replayDelivery(seq: mirror.seq, subscriber: "mirror", now: now))
            #expect(try await fixture.stores.deliveries(status: .dead, page: PageRequest()).total == 0)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aLeaseLapsesWhenItsOwnerDies(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            _ = try await fixture.hold(["F1"], by: "alice")
            let now = fixture.clock.now()
            _ = try await fixture.stores.fanOutEvents(limit: 10, now: now) { _ in ["audit"] }
            #expect(try await fixture.stores.claimDeliveries(limit: 10, owner: "dies", now: now, leaseUntil: now.addingTimeInterval(30)).count == 1)
            #expect(try await fixture.stores.claimDeliveries(limit: 10, owner: "other", now: now.addingTimeInterval(29), leaseUntil: now.addingTimeInterval(60)).isEmpty)
            let taken = try await fixture.stores.claimDeliveries(limit: 10, owner: "other", now: now.addingTimeInterval(30), leaseUntil: now.addingTimeInterval(60))
            #expect(taken.map(\.event.type) == ["HoldCreated"])
            #expect(try await fixture.stores.outboxBacklog().pending == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aRoundsDeliveriesCompleteInOneWrite(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            for seat in ["G1", "G2", "G3"] { _ = try await fixture.hold([seat], by: "user-\(seat)") }
            let now = fixture.clock.now()
            _ = try await fixture.stores.fanOutEvents(limit: 10, now: now) { _ in ["audit", "mirror"] }
            let round = try await fixture.stores.claimDeliveries(limit: 10, owner: "one", now: now, leaseUntil: now.addingTimeInterval(30))
            #expect(round.count == 6)
            let reached = round.filter { $0.subscriber == "audit" }
            let gaveUp = try #require(round.first { $0.subscriber == "mirror" })
            try await fixture.stores.failDelivery(seq: gaveUp.seq, subscriber: gaveUp.subscriber, error: "503", retryAt: nil)
            try await fixture.stores.completeDeliveries(reached + [gaveUp], now: now)
            // Again, as after a lease lapsed mid-round: nothing counts twice.
            try await fixture.stores.completeDeliveries(reached, now: now)
            try await fixture.stores.completeDeliveries([], now: now)

            let delivered = try await fixture.stores.deliveries(status: .delivered, page: PageRequest()).items
            #expect(Set(delivered.map { "\($0.seq)/\($0.subscriber)" }) == Set(reached.map { "\($0.seq)/\($0.subscriber)" }))
            #expect(delivered.count == 3 && delivered.allSatisfy { $0.attempts == 1 && $0.lastError == nil })
            let dead = try await fixture.stores.deliveries(status: .dead, page: PageRequest()).items
            #expect(dead.map(\.seq) == [gaveUp.seq] && dead.first?.subscriber == "mirror", "a dead delivery stays dead")
            #expect(try await fixture.stores.outboxBacklog().pending == 2)
        }
    }

    @Test(arguments: StoreBackend.available)
    func concurrentDispatchersNeverShareADelivery(_ backend: StoreBackend) async throws {
        try await backend.withSharedStores(count: 4) { handles in
            try await Fixture.with(backend, sharing: handles[0]) { fixture in
                for index in 0..<40 { _ = try await fixture.hold(["\(["A", "B", "C", "D"][index / 10])\(index % 10 + 1)"], by: "user-\(index)") }
                let now = fixture.clock.now()
                _ = try await fixture.stores.fanOutEvents(limit: 500, now: now) { _ in ["audit"] }
                let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                    for (index, store) in handles.enumerated() {
                        group.addTask {
                            try await store.claimDeliveries(limit: 100, owner: "d\(index)", now: now, leaseUntil: now.addingTimeInterval(30)).map(\.seq)
                        }
                    }
                    return try await group.reduce(into: [Int64]()) { $0 += $1 }
                }
                #expect(claimed.count == Set(claimed).count, "a delivery was leased twice")
                #expect(claimed.count == 40, "every hold's first event is claimable once")
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func webhooksAndTheMailbox(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let hook = WebhookSubscription(subscriptionId: UUID(), url: "http://127.0.0.1:9/hook", eventTypes: ["OrderConfirmed"], secret: "s3cret", createdAt: Date(timeIntervalSince1970: 1_000))
            try await stores.saveWebhook(hook)
            #expect(try await stores.webhooks() == [hook])
            func event(_ type: String, payload: String = "{}") -> DomainEvent {
                DomainEvent(type: type, aggregateType: "order", aggregateId: "1", payload: payload, occurredAt: Date())
            }
            #expect(hook.accepts(event("OrderConfirmed")) && !hook.accepts(event("HoldCreated")))

            // A hotel's PMS endpoint: only events about bookings at that hotel (a reassignment concerns both hotels).
            let hotel = Hotel(hotelId: UUID(), name: "Inn", city: "Pune", geoLat: 18.5, geoLng: 73.8, createdAt: Date(timeIntervalSince1970: 1_000))
            try await stores.saveHotel(hotel)
            let pms = WebhookSubscription(
                subscriptionId: UUID(), url: "http://127.0.0.1:9/pms", eventTypes: ["*"], secret: "pms-secret-0123456789", hotelId: hotel.hotelId,
                createdAt: Date(timeIntervalSince1970: 1_001))
            try await stores.saveWebhook(pms)
            #expect(try await stores.webhooks() == [hook, pms])
            let type = RoomType(roomTypeId: UUID(), hotelId: hotel.hotelId, name: "Double", occupancy: 2, rate: Money(minorUnits: 100), createdAt: Date())
            var booking = HotelBooking(
                bookingId: UUID(), userId: "u", hotelId: UUID(), roomTypeId: UUID(), checkIn: try CalendarDate("2027-01-01"),
                checkOut: try CalendarDate("2027-01-02"), rooms: 1, guests: 1, guest: HotelGuest(name: "G", email: "g@example.com"),
                amount: Money(minorUnits: 100), status: .confirmed, createdAt: Date())
            #expect(!pms.accepts(HotelEvents.booking(.hotelBookingCreated, booking, at: Date())))
            #expect(pms.accepts(HotelEvents.reassigned(booking, from: type, at: Date())))
            booking.hotelId = hotel.hotelId
            #expect(pms.accepts(HotelEvents.booking(.hotelBookingCancelled, booking, at: Date())))
            #expect(!pms.accepts(event("OrderConfirmed")))
            #expect(try await stores.deleteWebhook(pms.subscriptionId))
            #expect(try await stores.deleteWebhook(hook.subscriptionId))
            #expect(try await !stores.deleteWebhook(hook.subscriptionId))

            let event = UUID()
            let mail = MailMessage(eventId: event, recipient: "a@example.com", subject: "Tickets", body: "BMS00000001", sentAt: Date(timeIntervalSince1970: 2_000))
            try await stores.keepMail(mail)
            try await stores.keepMail(MailMessage(eventId: event, recipient: "a@example.com", subject: "Tickets", body: "again", sentAt: Date(timeIntervalSince1970: 2_001)))
            let box = try await stores.mailbox(page: PageRequest())
            #expect(box.total == 1 && box.items.first == mail)
        }
    }
}
