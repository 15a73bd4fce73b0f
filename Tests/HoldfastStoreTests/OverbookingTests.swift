import Foundation
import HoldfastCore
import HoldfastStore
import Testing

/// A city with three hotels: Palace (Standard 100, Deluxe 150, Family 200), Harbour 5 km away (Standard 120)
/// and Hilltop 90 km away (Suite 300); 10 nights of inventory from `start`.
struct OverbookingCity: Sendable {
    let stores: any HoldfastStores
    let clock: ManualBookingClock
    let service: HotelService
    let resolver: OverbookingResolver
    let start: CalendarDate
    let palace: Hotel
    let standard: RoomType, deluxe: RoomType, family: RoomType, harbourStandard: RoomType, hilltopSuite: RoomType

    static func make(_ stores: any HoldfastStores) async throws -> OverbookingCity {
        let clock = ManualBookingClock()
        let now = clock.now()
        let start = try CalendarDate("2027-06-01")
        func hotel(_ name: String, _ lat: Double, _ lng: Double) async throws -> Hotel {
            let hotel = Hotel(hotelId: UUID(), name: name, city: "Lisbon", geoLat: lat, geoLng: lng, createdAt: now)
            try await stores.saveHotel(hotel)
            return hotel
        }
        func type(_ hotel: Hotel, _ name: String, occupancy: Int, rate: Int, rooms: Int) async throws -> RoomType {
            let type = RoomType(roomTypeId: UUID(), hotelId: hotel.hotelId, name: name, occupancy: occupancy, rate: Money(minorUnits: rate), createdAt: now)
            try await stores.saveRoomType(type)
            try await stores.setInventory(roomTypeId: type.roomTypeId, nights: (0..<10).map { start.adding(days: $0) }, total: rooms, rate: type.rate)
            return type
        }
        let palace = try await hotel("Palace", 38.7223, -9.1393)
        let harbour = try await hotel("Harbour", 38.7000, -9.1900)  // about 5 km away
        let hilltop = try await hotel("Hilltop", 39.5000, -9.1393)  // about 90 km away
        return OverbookingCity(
            stores: stores, clock: clock, service: HotelService(stores: stores, clock: clock), resolver: OverbookingResolver(stores: stores, clock: clock),
            start: start, palace: palace,
            standard: try await type(palace, "Standard", occupancy: 2, rate: 10_000, rooms: 3),
            deluxe: try await type(palace, "Deluxe", occupancy: 2, rate: 15_000, rooms: 1),
            family: try await type(palace, "Family", occupancy: 4, rate: 20_000, rooms: 0),
            harbourStandard: try await type(harbour, "Standard", occupancy: 2, rate: 12_000, rooms: 1),
            hilltopSuite: try await type(hilltop, "Suite", occupancy: 2, rate: 30_000, rooms: 5))
    }

    func stay(_ from: Int, _ to: Int) throws -> StayDates { try StayDates(checkIn: start.adding(days: from), checkOut: start.adding(days: to)) }

    func sold(_ type: RoomType) async throws -> [Int] {
        try await stores.inventory(roomTypeId: type.roomTypeId, nights: (0..<10).map { start.adding(days: $0) }).map(\.sold)
    }
}

@Suite struct OverbookingTests {
    @Test(arguments: StoreBackend.available)
    func shrunkInventoryIsReassignedByPriorityThenEscalated(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let city = try await OverbookingCity.make(stores)
            var bookings: [HotelBooking] = []
            for user in ["ana", "bruno", "carla"] {
                bookings.append(try await city.service.book(
                    userId: user, roomTypeId: city.standard.roomTypeId, stay: try city.stay(1, 4), rooms: 1, guests: 2,
                    guest: HotelGuest(name: user, email: "\(user)@example.com")))
                // Distinct creation times make "newest first" deterministic.
                city.clock.advance(by: 60)
            }
            #expect(try await city.resolver.resolve() == OverbookingResolver.Outcome())

            // Two Standard rooms go out of service on night 2 only: 3 sold, 0 left.
            try await stores.setInventory(roomTypeId: city.standard.roomTypeId, nights: [city.start.adding(days: 2)], total: 0, rate: city.standard.rate)
            #expect(try await stores.overbookedNights(limit: 10).map(\.excess) == [3])

            let outcome = try await city.resolver.resolve()
            #expect(outcome.reassigned == 2 && outcome.escalated == 1 && outcome.overbookedNights == 1)
            // Newest first: carla gets the smallest upgrade in the same hotel, bruno the nearest hotel,
            // ana cannot go anywhere equal or better within reach (Family is full, Hilltop is too far).
            let carla = try await stores.hotelBooking(bookings[2].bookingId, userId: "carla")
            let bruno = try await stores.hotelBooking(bookings[1].bookingId, userId: "bruno")
            let ana = try await stores.hotelBooking(bookings[0].bookingId, userId: "ana")
            #expect(carla.roomTypeId == city.deluxe.roomTypeId && carla.hotelId == city.palace.hotelId && carla.status == .confirmed)
            #expect(bruno.roomTypeId == city.harbourStandard.roomTypeId && bruno.status == .confirmed)
            #expect(ana.roomTypeId == city.standard.roomTypeId && ana.status == .needsAttention && ana.attentionReason != nil)
            // The guest keeps the price they booked at.
            #expect(carla.amount == bookings[2].amount && bruno.amount == bookings[1].amount)
            // Moved bookings took every night of their stay in the new room type and gave the old ones back.
            #expect(try await city.sold(city.standard) == [0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
            #expect(try await city.sold(city.deluxe) == [0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
            #expect(try await city.sold(city.harbourStandard) == [0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
            #expect(try await city.sold(city.hilltopSuite).allSatisfy { $0 == 0 })

            let escalated = try await stores.hotelBookings(status: .needsAttention, page: PageRequest())
            #expect(escalated.items.map(\.bookingId) == [ana.bookingId])
            let types = try await stores.events(aggregateType: "hotel_booking", aggregateId: bruno.bookingId.uuidString).map(\.type)
            #expect(types == ["HotelBookingCreated", "HotelBookingReassigned"])
            let anaEvents = try await stores.events(aggregateType: "hotel_booking", aggregateId: ana.bookingId.uuidString).map(\.type)
            #expect(anaEvents == ["HotelBookingCreated", "HotelBookingNeedsAttention"])

            // Settled: another pass changes nothing, and writes nothing (a commit would wake every worker, the
            // watch included, which would then run again and again while a booking waits for an admin).
            let rings = stores.doorbell.count
            #expect(try await city.resolver.resolve() == OverbookingResolver.Outcome())
            #expect(stores.doorbell.count == rings)
            #expect(try await stores.overbookedNights(limit: 10).isEmpty)

            // A room comes back into service: the escalated guest is confirmed again.
            try await stores.setInventory(roomTypeId: city.standard.roomTypeId, nights: [city.start.adding(days: 2)], total: 1, rate: city.standard.rate)
            var restored = OverbookingResolver.Outcome()
            restored.restored = 1
            #expect(try await city.resolver.resolve() == restored)
            #expect(try await stores.hotelBooking(ana.bookingId, userId: nil).status == .confirmed)
        }
    }

    @Test(arguments: StoreBackend.available)
    func resolversRacingOnSeveralHandlesMoveEachGuestOnce(_ backend: StoreBackend) async throws {
        try await backend.withSharedStores(count: 3) { handles in
            let city = try await OverbookingCity.make(handles[0])
            try await handles[0].setInventory(
                roomTypeId: city.hilltopSuite.roomTypeId, nights: (0..<10).map { city.start.adding(days: $0) }, total: 0, rate: city.hilltopSuite.rate)
            for user in ["ana", "bruno", "carla"] {
                _ = try await city.service.book(
                    userId: user, roomTypeId: city.standard.roomTypeId, stay: try city.stay(0, 2), rooms: 1, guests: 1, guest: .test)
            }
            try await handles[0].setInventory(roomTypeId: city.standard.roomTypeId, nights: [city.start], total: 1, rate: city.standard.rate)
            let outcomes = try await withThrowingTaskGroup(of: OverbookingResolver.Outcome.self) { group in
                for handle in handles + handles {
                    group.addTask { try await OverbookingResolver(stores: handle, clock: ManualBookingClock()).resolve() }
                }
                return try await group.reduce(into: [OverbookingResolver.Outcome]()) { $0.append($1) }
            }
            // Exactly two guests had to move: one to Deluxe, one to Harbour; nobody twice, nobody escalated.
            #expect(outcomes.map(\.reassigned).reduce(0, +) == 2)
            #expect(outcomes.map(\.escalated).reduce(0, +) == 0)
            #expect(try await city.sold(city.standard)[0...1] == [1, 1])
            #expect(try await city.sold(city.deluxe)[0...1] == [1, 1])
            #expect(try await city.sold(city.harbourStandard)[0...1] == [1, 1])
            #expect(try await handles[1].overbookedNights(limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func cancellingAnEscalatedBookingGivesItsRoomsBack(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let city = try await OverbookingCity.make(stores)
            let booking = try await city.service.book(
                userId: "ana", roomTypeId: city.hilltopSuite.roomTypeId,
                stay: try city.stay(0, 3), rooms: 2, guests: 2, guest: .test)
            try await stores.setInventory(roomTypeId: city.hilltopSuite.roomTypeId, nights: [city.start.adding(days: 1)], total: 1, rate: city.hilltopSuite.rate)
            let outcome = try await city.resolver.resolve()
            #expect(outcome.escalated == 1)
            await #expect(performing: {
                try await city.service.changeDates(booking.bookingId, userId: "ana", stay: try city.stay(4, 6))
            }, throws: { code(of: $0) == "BOOKING_NEEDS_ATTENTION" })
            let cancelled = try await city.service.cancel(booking.bookingId, userId: nil)
            #expect(cancelled.status == .cancelled)
            #expect(try await city.sold(city.hilltopSuite).allSatisfy { $0 == 0 })
            #expect(try await stores.hotelBookings(status: .needsAttention, page: PageRequest()).total == 0)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aRoomOutOfServiceSellsOneFewerAndOverbookingFollowsItOutAndBack(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let hotel = try await HotelFixture.make(stores, rooms: 2)
            let id = hotel.roomType.roomTypeId
            let rooms = try await hotel.service.addRooms(roomTypeId: id, numbers: ["101", "102"])
            await #expect(performing: { try await hotel.service.addRooms(roomTypeId: id, numbers: ["103", "101"]) }, throws: { code(of: $0) == "ROOM_EXISTS" })
            #expect(try await stores.rooms(roomTypeId: id).map(\.number) == ["101", "102"], "all or none")

            let clock = ManualBookingClock()
            let service = HotelService(stores: stores, clock: clock)
            _ = try await service.book(userId: "alice", roomTypeId: id, stay: try hotel.stay(1, 3), rooms: 1, guests: 1, guest: .test)
            clock.advance(by: 60)
            let bob = try await service.book(userId: "bob", roomTypeId: id, stay: try hotel.stay(2, 4), rooms: 1, guests: 1, guest: .test)

            let outage = try await service.takeOutOfService(roomId: rooms[0].roomId, from: hotel.start.adding(days: 2), to: hotel.start.adding(days: 3), reason: "leak")
            await #expect(performing: {
                try await service.takeOutOfService(roomId: rooms[0].roomId, from: hotel.start.adding(days: 2), to: hotel.start.adding(days: 6), reason: "again")
            }, throws: { code(of: $0) == "OUTAGE_OVERLAPS" })
            let nights = try await hotel.nights()
            #expect(nights.map(\.outOfService)[1...3] == [0, 1, 0] && nights[2].sellable == 1 && nights[2].available == 0 && nights[5].available == 2)
            await #expect(performing: {
                try await service.book(userId: "carol", roomTypeId: id, stay: try hotel.stay(2, 3), rooms: 1, guests: 1, guest: .test)
            }, throws: { code(of: $0) == "NO_AVAILABILITY" })
            #expect(try await stores.overbookedNights(limit: 10).map(\.excess) == [1])
            #expect(try await stores.outages(roomTypeId: id).map(\.outageId) == [outage.outageId])

            // The only hotel in town: the newest guest on the night is escalated.
            let resolver = OverbookingResolver(stores: stores, clock: clock)
            #expect(try await resolver.resolve().escalated == 1)
            #expect(try await stores.hotelBooking(bob.bookingId, userId: nil).status == .needsAttention)

            // Back in service: the guest is confirmed again and the room sells again.
            let ended = try await stores.endOutage(outage.outageId, now: clock.now())
            #expect(ended.endedAt != nil)
            #expect(try await stores.endOutage(outage.outageId, now: clock.now()) == ended, "ending twice changes nothing")
            #expect(try await resolver.resolve().restored == 1)
            #expect(try await hotel.nights().allSatisfy { $0.outOfService == 0 })
            #expect(try await stores.outages(roomTypeId: id).isEmpty)
        }
    }
}
