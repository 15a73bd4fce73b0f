import Foundation
import HoldfastCore
import HoldfastStore
import HoldfastWorkers
import Logging
import Testing

@Suite struct HotelSyncTests {
    /// Two hotels in one city; the first has a PMS endpoint, the second takes guests the first cannot keep.
    struct Hotels {
        let service: HotelService
        let resolver: OverbookingResolver
        let withPMS: RoomType
        let nearby: RoomType
        let start: CalendarDate

        static func make(_ fixture: WorkerFixture) async throws -> Hotels {
            let now = fixture.clock.now()
            let start = try CalendarDate("2027-09-01")
            var types: [RoomType] = []
            for (name, lng) in [("Quay", 72.8300), ("Fort", 72.8350)] {
                let hotel = Hotel(hotelId: UUID(), name: name, city: "Mumbai", geoLat: 18.93, geoLng: lng, createdAt: now)
                try await fixture.stores.saveHotel(hotel)
                let type = RoomType(roomTypeId: UUID(), hotelId: hotel.hotelId, name: "King", occupancy: 2, rate: Money(minorUnits: 9_000), createdAt: now)
                try await fixture.stores.saveRoomType(type)
                try await fixture.stores.setInventory(roomTypeId: type.roomTypeId, nights: (0..<5).map { start.adding(days: $0) }, total: 2, rate: type.rate)
                types.append(type)
            }
            return Hotels(
                service: HotelService(stores: fixture.stores, clock: fixture.clock),
                resolver: OverbookingResolver(stores: fixture.stores, clock: fixture.clock), withPMS: types[0], nearby: types[1], start: start)
        }

        func stay(_ from: Int, _ to: Int) throws -> StayDates { try StayDates(checkIn: start.adding(days: from), checkOut: start.adding(days: to)) }
    }

    @Test func aPMSOutageThenRecoveryDeliversEveryEventOnceAndOnlyItsHotels() async throws {
        let fixture = try await WorkerFixture.make()
        let hotels = try await Hotels.make(fixture)
        let receiver = WebhookReceiver(failures: 4)
        try await receiver.serve { url in
            let pms = WebhookSubscription(
                subscriptionId: UUID(), url: url, eventTypes: ["*"], secret: "pms-secret-0123456789", hotelId: hotels.withPMS.hotelId,
                createdAt: fixture.clock.now())
            try await fixture.stores.saveWebhook(pms)
            let guest = HotelGuest(name: "Meera", email: "meera@example.com")
            let first = try await hotels.service.book(userId: "meera", roomTypeId: hotels.withPMS.roomTypeId, stay: try hotels.stay(0, 2), rooms: 1, guests: 2, guest: guest)
            _ = try await hotels.service.changeDates(first.bookingId, userId: "meera", stay: try hotels.stay(1, 3))
            let second = try await hotels.service.book(userId: "ravi", roomTypeId: hotels.withPMS.roomTypeId, stay: try hotels.stay(1, 2), rooms: 1, guests: 1, guest: guest)
            _ = try await hotels.service.cancel(second.bookingId, userId: "ravi")
            // Not this hotel's: never sent to its PMS.
            _ = try await hotels.service.book(userId: "ravi", roomTypeId: hotels.nearby.roomTypeId, stay: try hotels.stay(3, 4), rooms: 1, guests: 1, guest: guest)
            // The hotel shrinks to nothing on night 1: Meera moves to Fort, and Quay's PMS hears of it.
            try await fixture.stores.setInventory(roomTypeId: hotels.withPMS.roomTypeId, nights: [hotels.start.adding(days: 1)], total: 0, rate: hotels.withPMS.rate)
            #expect(try await hotels.resolver.resolve().reassigned == 1)

            let dispatcher = fixture.dispatcher()
            for _ in 0..<30 {
                try await dispatcher.tick()
                fixture.clock.advance(by: 5)
            }
            let received = await receiver.received
            #expect(received.map(\.type).sorted() == [
                "HotelBookingCancelled", "HotelBookingChanged", "HotelBookingCreated", "HotelBookingCreated", "HotelBookingReassigned",
            ])
            #expect(Set(received.map(\.eventId)).count == received.count, "an event reached the PMS twice")
            // In order per booking, as committed.
            let meera = try await fixture.stores.events(aggregateType: "hotel_booking", aggregateId: first.bookingId.uuidString)
            #expect(received.filter { meera.map(\.eventId.uuidString).contains($0.eventId) }.map(\.type) == [
                "HotelBookingCreated", "HotelBookingChanged", "HotelBookingReassigned",
            ])
            for message in received {
                #expect(message.signature == "v1=" + WebhookSubscriber.signature(secret: pms.secret, timestamp: message.timestamp, body: message.body))
            }
            #expect(try await fixture.stores.outboxBacklog().pending == 0)
        }
    }

    @Test func theGuestIsToldOfAMoveAndOfAnEscalation() async throws {
        let fixture = try await WorkerFixture.make()
        let hotels = try await Hotels.make(fixture)
        let notifier = Notifier(stores: fixture.stores, sender: DevMailbox(store: fixture.stores), clock: fixture.clock)
        // Fort is full on night 0, so of two Quay guests moved off night 0 only one can go there.
        try await fixture.stores.setInventory(roomTypeId: hotels.nearby.roomTypeId, nights: [hotels.start], total: 1, rate: hotels.nearby.rate)
        let meera = try await hotels.service.book(
            userId: "meera", roomTypeId: hotels.withPMS.roomTypeId, stay: try hotels.stay(0, 1), rooms: 1, guests: 2,
            guest: HotelGuest(name: "Meera", email: "meera@example.com"))
        fixture.clock.advance(by: 60)
        let ravi = try await hotels.service.book(
            userId: "ravi", roomTypeId: hotels.withPMS.roomTypeId, stay: try hotels.stay(0, 1), rooms: 1, guests: 2,
            guest: HotelGuest(name: "Ravi", email: "ravi@example.com"))
        try await fixture.stores.setInventory(roomTypeId: hotels.withPMS.roomTypeId, nights: [hotels.start], total: 0, rate: hotels.withPMS.rate)
        let outcome = try await hotels.resolver.resolve()
        #expect(outcome.reassigned == 1 && outcome.escalated == 1)

        let dispatcher = fixture.dispatcher(subscribers: [notifier])
        for _ in 0..<5 { try await dispatcher.tick() }
        let box = try await fixture.stores.mailbox(page: PageRequest(pageSize: 50)).items
        let toRavi = box.filter { $0.recipient == "ravi@example.com" }.map(\.subject)
        let toMeera = box.filter { $0.recipient == "meera@example.com" }.map(\.subject)
        #expect(toRavi.count == 2 && toRavi.contains { $0.hasPrefix("Your room has changed") })
        #expect(toMeera.count == 2 && toMeera.contains { $0.hasPrefix("We are arranging your room") })
        let moved = try #require(box.first { $0.subject.hasPrefix("Your room has changed") })
        #expect(moved.body.contains("Fort") && moved.body.contains("Hello Ravi") && moved.body.contains(ravi.bookingId.uuidString))
        #expect(try await fixture.stores.hotelBookings(status: .needsAttention, page: PageRequest()).items.map(\.bookingId) == [meera.bookingId])
    }

    @Test func theRunningWatchSettlesAnOverbookingRightAfterTheChange() async throws {
        let fixture = try await WorkerFixture.make()
        let hotels = try await Hotels.make(fixture)
        let booking = try await hotels.service.book(
            userId: "meera", roomTypeId: hotels.withPMS.roomTypeId, stay: try hotels.stay(0, 2), rooms: 1, guests: 2, guest: .init(name: "M", email: "m@example.com"))
        // A long interval: only the commit's doorbell can wake the watch in time.
        let watch = OverbookingWatch(stores: fixture.stores, clock: fixture.clock, interval: .seconds(60), minimumGap: .milliseconds(50), logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await watch.run() }
            try await Task.sleep(for: .milliseconds(200))
            let changed = ContinuousClock.now
            try await fixture.stores.setInventory(roomTypeId: hotels.withPMS.roomTypeId, nights: [hotels.start], total: 0, rate: hotels.withPMS.rate)
            var moved = false
            while !moved, ContinuousClock.now - changed < .seconds(30) {
                moved = try await fixture.stores.hotelBooking(booking.bookingId, userId: nil).roomTypeId == hotels.nearby.roomTypeId
                if !moved { try await Task.sleep(for: .milliseconds(20)) }
            }
            let elapsed = ContinuousClock.now - changed
            group.cancelAll()
            #expect(moved, "the watch did not move the guest")
            // The seed allows 60 s; the doorbell makes it a matter of milliseconds (generous bound for slow machines).
            #expect(elapsed < .seconds(30))
        }
    }
}
