import Foundation
import HoldfastCore
import HoldfastStore
import Testing

/// One hotel with one room type and `rooms` rooms for 14 nights from `start`.
struct HotelFixture: Sendable {
    let stores: any HoldfastStores
    let service: HotelService
    let roomType: RoomType
    let start: CalendarDate

    static func make(_ stores: any HoldfastStores, rooms: Int) async throws -> HotelFixture {
        let clock = ManualBookingClock()
        let now = clock.now()
        let hotel = Hotel(hotelId: UUID(), name: "Sea View", city: "Goa", geoLat: 15.5, geoLng: 73.8, createdAt: now)
        try await stores.saveHotel(hotel)
        let roomType = RoomType(roomTypeId: UUID(), hotelId: hotel.hotelId, name: "Deluxe", occupancy: 2, rate: Money(minorUnits: 500_000), createdAt: now)
        try await stores.saveRoomType(roomType)
        let start = try CalendarDate("2027-03-01")
        try await stores.setInventory(roomTypeId: roomType.roomTypeId, nights: (0..<14).map { start.adding(days: $0) }, total: rooms, rate: roomType.rate)
        return HotelFixture(stores: stores, service: HotelService(stores: stores, clock: clock), roomType: roomType, start: start)
    }

    func stay(_ from: Int, _ to: Int) throws -> StayDates { try StayDates(checkIn: start.adding(days: from), checkOut: start.adding(days: to)) }

    func nights() async throws -> [InventoryNight] {
        try await stores.inventory(roomTypeId: roomType.roomTypeId, nights: (0..<14).map { start.adding(days: $0) })
    }
}

extension HotelGuest {
    static let test = HotelGuest(name: "Test Guest", email: "guest@example.com")
}

@Suite struct HotelStoreTests {
    @Test(arguments: StoreBackend.available)
    func aBookingTakesEveryNightOrNone(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let hotel = try await HotelFixture.make(stores, rooms: 2)
            let booking = try await hotel.service.book(userId: "alice", roomTypeId: hotel.roomType.roomTypeId, stay: try hotel.stay(2, 5), rooms: 2, guests: 3, guest: .test)
            #expect(booking.amount == Money(minorUnits: 500_000 * 3 * 2))
            // Nights 4-6: night 4 is full, so nothing of 5 or 6 may be taken either.
            await #expect(performing: {
                try await hotel.service.book(userId: "bob", roomTypeId: hotel.roomType.roomTypeId, stay: try hotel.stay(4, 7), rooms: 1, guests: 1, guest: .test)
            }, throws: { code(of: $0) == "NO_AVAILABILITY" })
            let sold = try await hotel.nights().map(\.sold)
            #expect(sold == [0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0])
            // A stay beyond the inventory is not bookable.
            await #expect(throws: HoldfastError.self) {
                try await hotel.service.book(userId: "bob", roomTypeId: hotel.roomType.roomTypeId, stay: try hotel.stay(12, 16), rooms: 1, guests: 1, guest: .test)
            }
            await #expect(throws: HoldfastError.self) {
                try await hotel.service.book(userId: "bob", roomTypeId: hotel.roomType.roomTypeId, stay: try hotel.stay(0, 1), rooms: 1, guests: 3, guest: .test)
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func racingForTheLastRoomsNeverOversells(_ backend: StoreBackend) async throws {
        try await backend.withSharedStores(count: 3) { handles in
            let hotel = try await HotelFixture.make(handles[0], rooms: 3)
            let services = handles.map { HotelService(stores: $0, clock: ManualBookingClock()) }
            let booked = try await withThrowingTaskGroup(of: HotelBooking?.self) { group in
                for task in 0..<60 {
                    group.addTask {
                        var generator = SplitMix(seed: UInt64(task) &+ 77)
                        let from = Int.random(in: 0..<11, using: &generator)
                        let length = Int.random(in: 1...3, using: &generator)
                        do {
                            return try await services[task % 3].book(
                                userId: "guest-\(task)", roomTypeId: hotel.roomType.roomTypeId, stay: try hotel.stay(from, from + length),
                                rooms: Int.random(in: 1...2, using: &generator), guests: 1, guest: .test)
                        } catch let error as HoldfastError where ["NO_AVAILABILITY", "BOOKING_CONFLICT"].contains(error.code) {
                            return nil
                        }
                    }
                }
                return try await group.reduce(into: [HotelBooking]()) { if let booking = $1 { $0.append(booking) } }
            }
            #expect(!booked.isEmpty)
            for night in try await hotel.nights() {
                let held = booked.filter { $0.stay.nights.contains(night.night) }.reduce(0) { $0 + $1.rooms }
                #expect(night.sold <= night.total, "night \(night.night) oversold")
                #expect(night.sold == held, "night \(night.night): sold \(night.sold) but bookings hold \(held)")
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func cancellationGivesBackExactlyItsNights(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let hotel = try await HotelFixture.make(stores, rooms: 5)
            let first = try await hotel.service.book(userId: "alice", roomTypeId: hotel.roomType.roomTypeId, stay: try hotel.stay(1, 4), rooms: 2, guests: 2, guest: .test)
            _ = try await hotel.service.book(userId: "bob", roomTypeId: hotel.roomType.roomTypeId, stay: try hotel.stay(3, 6), rooms: 1, guests: 1, guest: .test)
            await #expect(throws: HoldfastError.self) { try await hotel.service.cancel(first.bookingId, userId: "bob") }
            let cancelled = try await hotel.service.cancel(first.bookingId, userId: "alice")
            #expect(cancelled.status == .cancelled)
            #expect(try await hotel.service.cancel(first.bookingId, userId: "alice").status == .cancelled)
            #expect(try await hotel.nights().map(\.sold) == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
            let types = try await stores.events(aggregateType: "hotel_booking", aggregateId: first.bookingId.uuidString).map(\.type)
            #expect(types == ["HotelBookingCreated", "HotelBookingCancelled"])
            #expect(try await stores.hotelBookings(userId: "alice", page: PageRequest()).items.map(\.status) == [.cancelled])
        }
    }

    @Test(arguments: StoreBackend.available)
    func searchFindsWhatIsFreeCheapestFirst(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let clock = ManualBookingClock()
            #expect(try await DemoHotels.loadIfEmpty(into: stores, clock: clock))
            #expect(try await !DemoHotels.loadIfEmpty(into: stores, clock: clock))
            let service = HotelService(stores: stores, clock: clock)
            let today = CalendarDate(clock.now(), in: .gmt)
            let stay = try StayDates(checkIn: today.adding(days: 2), checkOut: today.adding(days: 4))
            let all = try await service.search(HotelSearch(city: "goa", stay: stay, guests: 1, rooms: 1, sort: .price, near: nil, page: PageRequest(pageSize: 100)))
            #expect(all.total == 30 && Set(all.items.map(\.hotel.hotelId)).count == 10)
            #expect(zip(all.items, all.items.dropFirst()).allSatisfy { $0.totalPrice <= $1.totalPrice })
            let families = try await service.search(HotelSearch(city: "Goa", stay: stay, guests: 8, rooms: 2, sort: .price, near: nil, page: PageRequest()))
            #expect(families.items.allSatisfy { $0.roomType.name == "Suite" })
            let near = try await service.search(HotelSearch(city: "Goa", stay: stay, guests: 1, rooms: 1, sort: .distance, near: (15.4909, 73.8278), page: PageRequest(pageSize: 100)))
            #expect(zip(near.items, near.items.dropFirst()).allSatisfy { ($0.distanceKm ?? 0) <= ($1.distanceKm ?? 0) })
            // A booking shows in the next search at once.
            let suite = try #require(families.items.first)
            _ = try await service.book(userId: "alice", roomTypeId: suite.roomType.roomTypeId, stay: stay, rooms: 4, guests: 8, guest: .test)
            let after = try await service.search(HotelSearch(city: "Goa", stay: stay, guests: 8, rooms: 2, sort: .price, near: nil, page: PageRequest(pageSize: 100)))
            #expect(!after.items.contains { $0.roomType.roomTypeId == suite.roomType.roomTypeId })
            #expect(try await stores.hotelBookings(userId: "alice", page: PageRequest()).total == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func dateChangesMoveTheRoomsAtomically(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let hotel = try await HotelFixture.make(stores, rooms: 2)
            let id = hotel.roomType.roomTypeId
            let booking = try await hotel.service.book(userId: "alice", roomTypeId: id, stay: try hotel.stay(1, 4), rooms: 2, guests: 2, guest: .test)
            // Overlapping move: the booking's own nights count as free for it.
            let moved = try await hotel.service.changeDates(booking.bookingId, userId: "alice", stay: try hotel.stay(3, 6))
            #expect(moved.checkIn == hotel.start.adding(days: 3) && moved.amount == Money(minorUnits: 500_000 * 3 * 2))
            #expect(try await hotel.nights().map(\.sold) == [0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0])
            _ = try await hotel.service.book(userId: "bob", roomTypeId: id, stay: try hotel.stay(1, 3), rooms: 2, guests: 2, guest: .test)
            // Onto a full night: refused, and nothing changes.
            await #expect(performing: {
                try await hotel.service.changeDates(booking.bookingId, userId: "alice", stay: try hotel.stay(2, 5))
            }, throws: { code(of: $0) == "NO_AVAILABILITY" })
            #expect(try await hotel.nights().map(\.sold) == [0, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0])
            #expect(try await stores.hotelBooking(booking.bookingId, userId: "alice").checkIn == hotel.start.adding(days: 3))
            await #expect(throws: HoldfastError.self) {
                try await hotel.service.changeDates(booking.bookingId, userId: "mallory", stay: try hotel.stay(8, 9))
            }
            _ = try await hotel.service.cancel(booking.bookingId, userId: "alice")
            #expect(try await hotel.nights().map(\.sold) == [0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
            let types = try await stores.events(aggregateType: "hotel_booking", aggregateId: booking.bookingId.uuidString).map(\.type)
            #expect(types == ["HotelBookingCreated", "HotelBookingChanged", "HotelBookingCancelled"])
        }
    }
}
