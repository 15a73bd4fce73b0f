import Foundation
import HoldfastCore
import HoldfastStore

/// What a hotel guest is told about their booking, one message per event.
enum HotelMail {
    static func message(for event: DomainEvent, booking: HotelBooking, hotel: Hotel, roomType: RoomType, now: Date) -> MailMessage {
        let stay = "\(booking.checkIn) to \(booking.checkOut) (\(booking.stay.nights.count) night(s)), \(booking.rooms) room(s)"
        let place = "\(hotel.name)\(hotel.address.map { ", \($0)" } ?? ""), \(hotel.city) — \(roomType.name)"
        let (subject, news): (String, [String])
        switch EventType(rawValue: event.type) {
        case .hotelBookingReassigned:
            subject = "Your room has changed — booking \(short(booking))"
            news = [
                "The room type you booked is no longer available for your stay, so we have moved you to an equal or better room",
                "at no extra cost. Your booking now stays at:",
            ]
        case .hotelBookingNeedsAttention:
            subject = "We are arranging your room — booking \(short(booking))"
            news = [
                "The room type you booked is no longer available for your stay and no equal or better room was free nearby.",
                "Our team has been alerted and will contact you with an alternative or a full refund. Your booking:",
            ]
        case .hotelBookingRestored:
            subject = "Your room is confirmed again — booking \(short(booking))"
            news = ["A room has become available and your booking is confirmed again:"]
        default:
            subject = "Your booking at \(hotel.name) is confirmed — \(short(booking))"
            news = ["Your booking is confirmed:"]
        }
        let lines = ["Hello \(booking.guest.name),", ""] + news + [
            "", "Hotel: \(place)", "Stay: \(stay)", "Guests: \(booking.guests)", "Amount: \(booking.amount.text)",
            "Booking: \(booking.bookingId.uuidString)",
        ]
        return MailMessage(eventId: event.eventId, recipient: booking.guest.email, subject: subject, body: lines.joined(separator: "\n"), sentAt: now)
    }

    private static func short(_ booking: HotelBooking) -> String { String(booking.bookingId.uuidString.prefix(8)) }
}
