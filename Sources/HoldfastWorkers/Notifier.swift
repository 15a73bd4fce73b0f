import Foundation
import HoldfastCore
import HoldfastStore

/// Where customer messages go: SMTP in production, the dev mailbox by default.
public protocol MailSender: Sendable {
    func send(_ message: MailMessage) async throws
}

/// Keeps messages in the store, where `GET /admin/mailbox` lists them; once per event.
public struct DevMailbox: MailSender {
    let store: any MailboxStore

    public init(store: any MailboxStore) { self.store = store }

    public func send(_ message: MailMessage) async throws { try await store.keepMail(message) }
}

/// Writes to customers: the cinema order confirmation (ticket code, seats, movie, show time, theatre) and
/// the hotel guest's booking news (confirmed, moved to another room, waiting for the hotel, confirmed again), and
/// a cinema customer's refund (sent, or stuck and with a person).
public struct Notifier: EventSubscriber {
    let stores: any HoldfastStores
    let sender: any MailSender
    let clock: any BookingClock

    public init(stores: any HoldfastStores, sender: any MailSender, clock: any BookingClock) {
        self.stores = stores
        self.sender = sender
        self.clock = clock
    }

    public var name: String { "notifier" }

    static let hotelMailEvents: Set<String> = Set(
        [EventType.hotelBookingCreated, .hotelBookingReassigned, .hotelBookingNeedsAttention, .hotelBookingRestored].map(\.rawValue))

    public func accepts(_ event: DomainEvent) -> Bool {
        event.type == EventType.orderConfirmed.rawValue || Self.hotelMailEvents.contains(event.type) || RefundMail.events.contains(event.type)
            || WaitlistMail.events.contains(event.type)
    }

    struct OrderReference: Decodable {
        let orderId: UUID
        let userId: String
    }

    public func deliver(_ event: DomainEvent) async throws {
        if Self.hotelMailEvents.contains(event.type) { return try await deliverHotelMail(event) }
        if WaitlistMail.events.contains(event.type) { return try await deliverWaitlistMail(event) }
        let reference = try JSONDecoder().decode(OrderReference.self, from: Data(event.payload.utf8))
        if RefundMail.events.contains(event.type) {
            let order = try await stores.order(reference.orderId, userId: reference.userId)
            return try await sender.send(RefundMail.message(for: event, order: order, now: clock.now()))
        }
        let details = try await stores.orderDetails(reference.orderId, userId: reference.userId)
        try await sender.send(Self.confirmation(event: event, details: details, now: clock.now()))
    }

    private func deliverWaitlistMail(_ event: DomainEvent) async throws {
        let reference = try event.decodePayload(WaitlistMail.Reference.self)
        guard let entry = try await stores.waitlistEntry(reference.entryId) else { throw HoldfastError.notFound("Waiting list entry") }
        let hold: Hold? = if let holdId = entry.holdId { try await stores.hold(holdId, userId: entry.userId) } else { nil }
        let show = try await stores.show(entry.showId)
        let movie: Movie? = if let show { try await stores.movie(show.movieId) } else { nil }
        try await sender.send(WaitlistMail.message(for: event, entry: entry, hold: hold, show: show, movie: movie, now: clock.now()))
    }

    private func deliverHotelMail(_ event: DomainEvent) async throws {
        let reference = try HotelEvents.bookingReference(of: event)
        let booking = try await stores.hotelBooking(reference.bookingId, userId: reference.userId)
        guard let hotel = try await stores.hotel(booking.hotelId), let roomType = try await stores.roomType(booking.roomTypeId) else {
            throw HoldfastError.notFound("Hotel")
        }
        try await sender.send(HotelMail.message(for: event, booking: booking, hotel: hotel, roomType: roomType, now: clock.now()))
    }

    static func confirmation(event: DomainEvent, details: OrderDetails, now: Date) -> MailMessage {
        let (order, show, movie, theatre) = (details.order, details.show, details.movie, details.theatre)
        let zone = theatre.flatMap { TimeZone(identifier: $0.timeZone) } ?? .gmt
        var style = Date.FormatStyle(date: .complete, time: .shortened)
        style.timeZone = zone
        let title = movie?.title ?? "your show"
        let lines = [
            "Hello \(order.customer.name),",
            "",
            "Your booking is confirmed.",
            "",
            "Ticket code: \(order.ticketCode ?? "-")",
            "Movie: \(title)",
            "Show time: \(show.startTime.formatted(style)) (\(zone.identifier))",
            "Theatre: \(theatre?.name ?? "-")\(theatre?.address.map { ", \($0)" } ?? "")",
            "Screen: \(show.screenName)",
            "Seats: \(order.seatIds.joined(separator: ", "))",
            "Amount paid: \(order.amount.text)",
            "",
            "Show this code at the door.",
        ]
        return MailMessage(
            eventId: event.eventId, recipient: order.customer.email,
            subject: "Your tickets for \(title) — \(order.ticketCode ?? "")", body: lines.joined(separator: "\n"), sentAt: now)
    }
}
