import Foundation

/// Events of hotel bookings. Payloads carry ids and dates, never the guest's contact details.
public enum HotelEvents {
    struct Payload: Codable {
        let bookingId: UUID
        let hotelId: UUID
        let roomTypeId: UUID
        let userId: String
        let checkIn: CalendarDate
        let checkOut: CalendarDate
        let rooms: Int
        let status: String
        /// Where a reassigned booking was before.
        var fromHotelId: UUID?
        var fromRoomTypeId: UUID?
        var reason: String?
    }

    public static func booking(_ type: EventType, _ booking: HotelBooking, at time: Date) -> DomainEvent {
        DomainEvent(type: type, aggregateType: "hotel_booking", aggregateId: booking.bookingId, payload: payload(booking), at: time)
    }

    /// The booking now stays in `booking.roomTypeId`; it was in `from` before.
    public static func reassigned(_ booking: HotelBooking, from: RoomType, at time: Date) -> DomainEvent {
        var body = payload(booking)
        body.fromHotelId = from.hotelId
        body.fromRoomTypeId = from.roomTypeId
        return DomainEvent(type: .hotelBookingReassigned, aggregateType: "hotel_booking", aggregateId: booking.bookingId, payload: body, at: time)
    }

    public static func needsAttention(_ booking: HotelBooking, at time: Date) -> DomainEvent {
        var body = payload(booking)
        body.reason = booking.attentionReason
        return DomainEvent(
            type: .hotelBookingNeedsAttention, aggregateType: "hotel_booking", aggregateId: booking.bookingId, payload: body, at: time)
    }

    /// The hotels an event concerns (a reassignment concerns the old hotel and the new); empty for other events.
    public static func hotelIds(of event: DomainEvent) -> Set<UUID> {
        guard event.aggregateType == "hotel_booking", let body = try? event.decodePayload(Payload.self) else { return [] }
        return Set([body.hotelId, body.fromHotelId].compactMap { $0 })
    }

    /// The booking and its owner named by a hotel booking event.
    public static func bookingReference(of event: DomainEvent) throws -> (bookingId: UUID, userId: String) {
        let body = try event.decodePayload(Payload.self)
        return (body.bookingId, body.userId)
    }

    private static func payload(_ booking: HotelBooking) -> Payload {
        Payload(
            bookingId: booking.bookingId, hotelId: booking.hotelId, roomTypeId: booking.roomTypeId, userId: booking.userId,
            checkIn: booking.checkIn, checkOut: booking.checkOut, rooms: booking.rooms, status: booking.status.rawValue)
    }
}
