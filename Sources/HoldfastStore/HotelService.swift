import Foundation
import HoldfastCore

public struct HotelSearch: Sendable {
    public enum Sort: String, Sendable { case price, distance }

    public var city: String
    public var stay: StayDates
    public var guests: Int
    public var rooms: Int
    public var sort: Sort
    /// Distances are measured from here (sorting by distance needs it).
    public var near: (lat: Double, lng: Double)?
    public var page: PageRequest

    public init(city: String, stay: StayDates, guests: Int, rooms: Int, sort: Sort, near: (lat: Double, lng: Double)?, page: PageRequest) {
        self.city = city
        self.stay = stay
        self.guests = guests
        self.rooms = rooms
        self.sort = sort
        self.near = near
        self.page = page
    }
}

public struct HotelResult: Sendable {
    public let hotel: Hotel
    public let roomType: RoomType
    /// Rooms free on every night of the stay.
    public let available: Int
    /// Sum of the nightly rates, times the rooms asked for.
    public let totalPrice: Money
    public let distanceKm: Double?
}

/// Seed 002's use cases: search availability and book rooms with optimistic locking.
public struct HotelService: Sendable {
    public static let maxRoomsPerBooking = 10
    /// Version conflicts are retried this many times before the caller gets 409.
    public static let attempts = 5

    public let stores: any HoldfastStores
    public let clock: any BookingClock

    public init(stores: any HoldfastStores, clock: any BookingClock) {
        self.stores = stores
        self.clock = clock
    }

    /// Availability straight from the inventory rows, so it is current as of the last committed booking.
    public func search(_ query: HotelSearch) async throws -> Page<HotelResult> {
        try validate(rooms: query.rooms, guests: query.guests)
        if query.sort == .distance, query.near == nil { throw HoldfastError.invalid("sort=distance needs lat and lng") }
        let nights = query.stay.nights
        var results: [HotelResult] = []
        for offer in try await stores.offers(city: query.city, nights: nights) {
            guard offer.nights.count == nights.count, offer.roomType.occupancy * query.rooms >= query.guests else { continue }
            let available = offer.nights.map(\.available).min() ?? 0
            guard available >= query.rooms else { continue }
            let price = offer.nights.reduce(Money.zero) { $0 + $1.rate }
            results.append(HotelResult(
                hotel: offer.hotel, roomType: offer.roomType, available: available,
                totalPrice: Money(minorUnits: price.minorUnits * query.rooms),
                distanceKm: query.near.map { offer.hotel.distance(toLat: $0.lat, lng: $0.lng) }))
        }
        results.sort { a, b in
            switch query.sort {
            case .price: (a.totalPrice, a.hotel.name, a.roomType.name) < (b.totalPrice, b.hotel.name, b.roomType.name)
            case .distance: (a.distanceKm ?? 0, a.totalPrice.minorUnits) < (b.distanceKm ?? 0, b.totalPrice.minorUnits)
            }
        }
        let page = query.page
        return Page(items: Array(results.dropFirst(page.offset).prefix(page.pageSize)), page: page.page, pageSize: page.pageSize, total: results.count)
    }

    /// Books `rooms` rooms for every night of `stay`, all or nothing; a version that moved on between
    /// reading and writing is retried up to `attempts` times, then answered 409 BOOKING_CONFLICT.
    public func book(userId: String, roomTypeId: UUID, stay: StayDates, rooms: Int, guests: Int, guest: HotelGuest) async throws -> HotelBooking {
        try validate(rooms: rooms, guests: guests)
        try guest.validate()
        guard let roomType = try await stores.roomType(roomTypeId) else { throw HoldfastError.notFound("Room type") }
        guard roomType.occupancy * rooms >= guests else {
            throw HoldfastError.invalid("\(rooms) room(s) of this type sleep at most \(roomType.occupancy * rooms) guests")
        }
        let nights = stay.nights
        for _ in 0..<Self.attempts {
            let inventory = try await stores.inventory(roomTypeId: roomTypeId, nights: nights)
            guard inventory.count == nights.count, inventory.allSatisfy({ $0.available >= rooms }) else { throw HoldfastError.noAvailability }
            let nightly = inventory.reduce(Money.zero) { $0 + $1.rate }
            let now = clock.now()
            let booking = HotelBooking(
                bookingId: UUID(timeOrderedAt: now), userId: userId, hotelId: roomType.hotelId, roomTypeId: roomTypeId, checkIn: stay.checkIn,
                checkOut: stay.checkOut, rooms: rooms, guests: guests, guest: guest, amount: Money(minorUnits: nightly.minorUnits * rooms),
                status: .confirmed, createdAt: now)
            if try await stores.bookRooms(booking, expected: inventory, now: now) { return booking }
        }
        throw HoldfastError.bookingConflict
    }

    /// Moves a booking to new dates atomically: the new nights are taken and the old released together,
    /// or nothing changes (409 NO_AVAILABILITY / BOOKING_CONFLICT).
    public func changeDates(_ bookingId: UUID, userId: String, stay: StayDates) async throws -> HotelBooking {
        for _ in 0..<Self.attempts {
            let current = try await stores.hotelBooking(bookingId, userId: userId)
            switch current.status {
            case .confirmed: break
            case .cancelled: throw HoldfastError.bookingCancelled
            case .needsAttention:
                throw HoldfastError(.conflict, code: "BOOKING_NEEDS_ATTENTION", message: "The hotel is finding you a room; dates can be changed after that")
            }
            if current.stay == stay { return current }
            let rows = current.expectedAfterRelease(try await stores.inventory(roomTypeId: current.roomTypeId, nights: stay.nights))
            guard rows.count == stay.nights.count, rows.allSatisfy({ $0.available >= current.rooms }) else { throw HoldfastError.noAvailability }
            var changed = current
            changed.checkIn = stay.checkIn
            changed.checkOut = stay.checkOut
            changed.amount = Money(minorUnits: rows.reduce(0) { $0 + $1.rate.minorUnits } * current.rooms)
            if try await stores.changeHotelBooking(changed, expected: rows, now: clock.now()) { return changed }
        }
        throw HoldfastError.bookingConflict
    }

    public static let maxInventoryNights = 366
    public static let maxRoomsPerType = 10_000

    /// Sets total and rate for the nights `from` up to the day before `to` — an admin's change or a PMS push.
    /// A total below what is sold leaves overbooked nights, which the overbooking watch settles.
    public func setInventory(roomTypeId: UUID, from: CalendarDate, to: CalendarDate, total: Int, rate: Money?) async throws -> [InventoryNight] {
        guard let roomType = try await stores.roomType(roomTypeId) else { throw HoldfastError.notFound("Room type") }
        guard (0...Self.maxRoomsPerType).contains(total) else { throw HoldfastError.invalid("total must be 0-\(Self.maxRoomsPerType)") }
        if let rate, rate < .zero { throw HoldfastError.invalid("rate must not be negative") }
        let nights = try StayDates(checkIn: from, checkOut: to, maxNights: Self.maxInventoryNights).nights
        try await stores.setInventory(roomTypeId: roomTypeId, nights: nights, total: total, rate: rate ?? roomType.rate)
        return try await stores.inventory(roomTypeId: roomTypeId, nights: nights)
    }

    public func addRooms(roomTypeId: UUID, numbers: [String]) async throws -> [Room] {
        guard let roomType = try await stores.roomType(roomTypeId) else { throw HoldfastError.notFound("Room type") }
        guard (1...500).contains(numbers.count), Set(numbers).count == numbers.count else {
            throw HoldfastError.invalid("numbers must list 1-500 distinct room numbers")
        }
        let now = clock.now()
        let rooms = numbers.map {
            Room(roomId: UUID(timeOrderedAt: now), hotelId: roomType.hotelId, roomTypeId: roomTypeId, number: $0, createdAt: now)
        }
        for room in rooms { try room.validate() }
        try await stores.saveRooms(rooms)
        return rooms
    }

    /// Takes a room out of service for the nights `from` up to the day before `to`; its room type then sells
    /// one room fewer on those nights, and nights already sold beyond that are settled by the overbooking watch.
    public func takeOutOfService(roomId: UUID, from: CalendarDate, to: CalendarDate, reason: String) async throws -> RoomOutage {
        guard let room = try await stores.room(roomId) else { throw HoldfastError.notFound("Room") }
        _ = try StayDates(checkIn: from, checkOut: to, maxNights: Self.maxInventoryNights)
        try Validate.reason(reason)
        let now = clock.now()
        let outage = RoomOutage(
            outageId: UUID(timeOrderedAt: now), roomId: roomId, roomTypeId: room.roomTypeId, from: from, to: to, reason: reason, createdAt: now)
        try await stores.startOutage(outage)
        return outage
    }

    /// `userId` nil: an admin cancelling anyone's booking.
    public func cancel(_ bookingId: UUID, userId: String?) async throws -> HotelBooking {
        try await stores.cancelHotelBooking(bookingId, userId: userId, now: clock.now())
    }

    private func validate(rooms: Int, guests: Int) throws {
        guard (1...Self.maxRoomsPerBooking).contains(rooms) else { throw HoldfastError.invalid("rooms must be 1-\(Self.maxRoomsPerBooking)") }
        guard (1...(Self.maxRoomsPerBooking * 20)).contains(guests) else { throw HoldfastError.invalid("guests must be at least 1") }
    }
}
