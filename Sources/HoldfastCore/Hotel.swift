import Foundation

/// A hotel of seed 002.
public struct Hotel: Sendable, Hashable, Codable {
    public var hotelId: UUID
    public var name: String
    public var city: String
    public var address: String?
    public var geoLat: Double
    public var geoLng: Double
    public var createdAt: Date

    public init(hotelId: UUID, name: String, city: String, address: String? = nil, geoLat: Double, geoLng: Double, createdAt: Date) {
        self.hotelId = hotelId
        self.name = name
        self.city = city
        self.address = address
        self.geoLat = geoLat
        self.geoLng = geoLng
        self.createdAt = createdAt
    }

    public func validate() throws {
        try Validate.text(name, field: "name", max: 255)
        try Validate.text(city, field: "city", max: 100)
        if let address { try Validate.text(address, field: "address", max: 1_000) }
        guard (-90...90).contains(geoLat), (-180...180).contains(geoLng) else {
            throw HoldfastError.invalid("geoLat must be -90…90 and geoLng -180…180")
        }
    }

    /// Great-circle distance in kilometres.
    public func distance(toLat lat: Double, lng: Double) -> Double {
        let r = 6_371.0, toRad = Double.pi / 180
        let dLat = (lat - geoLat) * toRad, dLng = (lng - geoLng) * toRad
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(geoLat * toRad) * cos(lat * toRad) * sin(dLng / 2) * sin(dLng / 2)
        return 2 * r * asin(min(1, sqrt(a)))
    }
}

/// A kind of room in a hotel: how many guests it sleeps and its standard nightly rate.
public struct RoomType: Sendable, Hashable, Codable {
    public var roomTypeId: UUID
    public var hotelId: UUID
    public var name: String
    public var occupancy: Int
    public var rate: Money
    public var createdAt: Date

    public init(roomTypeId: UUID, hotelId: UUID, name: String, occupancy: Int, rate: Money, createdAt: Date) {
        self.roomTypeId = roomTypeId
        self.hotelId = hotelId
        self.name = name
        self.occupancy = occupancy
        self.rate = rate
        self.createdAt = createdAt
    }

    public func validate() throws {
        try Validate.text(name, field: "name", max: 100)
        guard (1...20).contains(occupancy) else { throw HoldfastError.invalid("occupancy must be 1-20 guests") }
    }
}

/// One night of one room type: rooms sellable, rooms sold, its rate, and a version for optimistic locking.
public struct InventoryNight: Sendable, Hashable, Codable {
    public let roomTypeId: UUID
    public let night: CalendarDate
    public let total: Int
    public let sold: Int
    public let rate: Money
    public let version: Int

    public init(roomTypeId: UUID, night: CalendarDate, total: Int, sold: Int, rate: Money, version: Int) {
        self.roomTypeId = roomTypeId
        self.night = night
        self.total = total
        self.sold = sold
        self.rate = rate
        self.version = version
    }

    public var available: Int { max(0, total - sold) }
}

/// Check-in to check-out: the nights are check-in up to the day before check-out.
public struct StayDates: Sendable, Hashable {
    public static let maxNights = 30
    public let checkIn: CalendarDate
    public let checkOut: CalendarDate

    public init(checkIn: CalendarDate, checkOut: CalendarDate) throws {
        guard checkIn < checkOut else { throw HoldfastError.invalid("checkOut must be after checkIn", code: "INVALID_DATES") }
        guard checkIn.adding(days: Self.maxNights) >= checkOut else {
            throw HoldfastError.invalid("a stay is at most \(Self.maxNights) nights", code: "INVALID_DATES")
        }
        self.checkIn = checkIn
        self.checkOut = checkOut
    }

    public var nights: [CalendarDate] {
        var nights: [CalendarDate] = []
        var night = checkIn
        while night < checkOut {
            nights.append(night)
            night = night.adding(days: 1)
        }
        return nights
    }
}

/// A hotel booking: `rooms` rooms of one type for every night of a stay.
public struct HotelBooking: Sendable, Hashable, Codable {
    public var bookingId: UUID
    public var userId: String
    public var hotelId: UUID
    public var roomTypeId: UUID
    public var checkIn: CalendarDate
    public var checkOut: CalendarDate
    public var rooms: Int
    public var guests: Int
    public var amount: Money
    public var status: HotelBookingStatus
    public var createdAt: Date
    public var cancelledAt: Date?

    public init(
        bookingId: UUID, userId: String, hotelId: UUID, roomTypeId: UUID, checkIn: CalendarDate, checkOut: CalendarDate, rooms: Int,
        guests: Int, amount: Money, status: HotelBookingStatus, createdAt: Date, cancelledAt: Date? = nil
    ) {
        self.bookingId = bookingId
        self.userId = userId
        self.hotelId = hotelId
        self.roomTypeId = roomTypeId
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.rooms = rooms
        self.guests = guests
        self.amount = amount
        self.status = status
        self.createdAt = createdAt
        self.cancelledAt = cancelledAt
    }

    public var stay: StayDates { try! StayDates(checkIn: checkIn, checkOut: checkOut) }

    /// The versions a row must still have for a move to `stay`: releasing this booking's own nights bumps
    /// their version once before the new nights are taken.
    public func expectedAfterRelease(_ rows: [InventoryNight]) -> [InventoryNight] {
        let own = Set(self.stay.nights)
        return rows.map { row in
            guard own.contains(row.night) else { return row }
            return InventoryNight(roomTypeId: row.roomTypeId, night: row.night, total: row.total, sold: row.sold - rooms, rate: row.rate, version: row.version + 1)
        }
    }
}

public enum HotelBookingStatus: String, Sendable, Codable {
    case confirmed = "CONFIRMED"
    case cancelled = "CANCELLED"
}

extension HoldfastError {
    public static let noAvailability = HoldfastError(
        .conflict, code: "NO_AVAILABILITY", message: "Not enough rooms of this type are free on every night of the stay")
    public static let bookingConflict = HoldfastError(
        .conflict, code: "BOOKING_CONFLICT", message: "The rooms kept changing while booking; try again")
}

/// Events of hotel bookings.
public enum HotelEvents {
    struct Payload: Encodable {
        let bookingId: UUID
        let hotelId: UUID
        let roomTypeId: UUID
        let userId: String
        let checkIn: CalendarDate
        let checkOut: CalendarDate
        let rooms: Int
        let status: String
    }

    public static func booking(_ type: EventType, _ booking: HotelBooking, at time: Date) -> DomainEvent {
        DomainEvent(
            type: type, aggregateType: "hotel_booking", aggregateId: booking.bookingId,
            payload: Payload(
                bookingId: booking.bookingId, hotelId: booking.hotelId, roomTypeId: booking.roomTypeId, userId: booking.userId,
                checkIn: booking.checkIn, checkOut: booking.checkOut, rooms: booking.rooms, status: booking.status.rawValue),
            at: time)
    }
}
