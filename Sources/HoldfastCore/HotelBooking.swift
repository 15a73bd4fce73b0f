import Foundation

/// Check-in to check-out: the nights are check-in up to the day before check-out.
public struct StayDates: Sendable, Hashable {
    public static let maxNights = 30
    public let checkIn: CalendarDate
    public let checkOut: CalendarDate

    /// `maxNights`: a guest's stay is at most 30 nights; an inventory range may be longer.
    public init(checkIn: CalendarDate, checkOut: CalendarDate, maxNights: Int = Self.maxNights) throws {
        guard checkIn < checkOut else { throw HoldfastError.invalid("checkOut must be after checkIn", code: "INVALID_DATES") }
        guard checkIn.adding(days: maxNights) >= checkOut else {
            throw HoldfastError.invalid("a range is at most \(maxNights) nights", code: "INVALID_DATES")
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

/// Who stays: the name on the booking and where Holdfast writes to about it.
public struct HotelGuest: Sendable, Hashable, Codable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }

    public func validate() throws {
        try Validate.text(name, field: "guest.name", max: 255)
        try Validate.email(email, field: "guest.email")
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
    public var guest: HotelGuest
    public var amount: Money
    public var status: HotelBookingStatus
    /// Why the resolver could not place this booking (status NEEDS_ATTENTION).
    public var attentionReason: String?
    public var createdAt: Date
    public var cancelledAt: Date?

    public init(
        bookingId: UUID, userId: String, hotelId: UUID, roomTypeId: UUID, checkIn: CalendarDate, checkOut: CalendarDate, rooms: Int,
        guests: Int, guest: HotelGuest, amount: Money, status: HotelBookingStatus, attentionReason: String? = nil, createdAt: Date,
        cancelledAt: Date? = nil
    ) {
        self.bookingId = bookingId
        self.userId = userId
        self.hotelId = hotelId
        self.roomTypeId = roomTypeId
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.rooms = rooms
        self.guests = guests
        self.guest = guest
        self.amount = amount
        self.status = status
        self.attentionReason = attentionReason
        self.createdAt = createdAt
        self.cancelledAt = cancelledAt
    }

    public var stay: StayDates { try! StayDates(checkIn: checkIn, checkOut: checkOut) }

    /// Still holds its rooms: confirmed, or waiting for an admin after an overbooking.
    public var holdsRooms: Bool { status != .cancelled }

    /// The versions a row must still have for a move to `stay`: releasing this booking's own nights bumps
    /// their version once before the new nights are taken.
    public func expectedAfterRelease(_ rows: [InventoryNight]) -> [InventoryNight] {
        let own = Set(self.stay.nights)
        return rows.map { row in
            guard own.contains(row.night) else { return row }
            return row.released(rooms)
        }
    }
}

public enum HotelBookingStatus: String, Sendable, Codable, CaseIterable {
    case confirmed = "CONFIRMED"
    /// Overbooked and no equal or better room was free: an admin must place the guest (the rooms stay counted).
    case needsAttention = "NEEDS_ATTENTION"
    case cancelled = "CANCELLED"
}

extension HoldfastError {
    public static let noAvailability = HoldfastError(
        .conflict, code: "NO_AVAILABILITY", message: "Not enough rooms of this type are free on every night of the stay")
    public static let bookingConflict = HoldfastError(
        .conflict, code: "BOOKING_CONFLICT", message: "The rooms kept changing while booking; try again")
    public static let bookingCancelled = HoldfastError(
        .conflict, code: "BOOKING_CANCELLED", message: "A cancelled booking cannot be changed")
}
