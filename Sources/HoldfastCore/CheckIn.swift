import Foundation

/// A ticket let in at the door: once per ticket, whichever door scans it first.
public struct CheckIn: Sendable, Hashable, Codable {
    public let orderId: UUID
    public let showId: UUID
    public let ticketCode: String
    public let seatIds: [String]
    public let customerName: String
    public let checkedInAt: Date
    public let checkedInBy: String
    public let door: String?

    public init(order: Order, at time: Date, by usher: String, door: String?) {
        orderId = order.orderId
        showId = order.showId
        ticketCode = order.ticketCode ?? ""
        seatIds = order.seatIds
        customerName = order.customer.name
        checkedInAt = time
        checkedInBy = usher
        self.door = door
    }

    /// Why a ticket that exists was not let in now: already used, or not a paid order any more.
    public static func refusal(for order: Order, checkedInAt: Date?, door: String?) -> HoldfastError {
        if let checkedInAt {
            let place = door.map { " at door \($0)" } ?? ""
            return HoldfastError(
                .conflict, code: "ALREADY_CHECKED_IN",
                message: "This ticket was already checked in\(place) at \(checkedInAt.formatted(Date.ISO8601FormatStyle())); re-entry is refused")
        }
        return HoldfastError(.conflict, code: "TICKET_NOT_VALID", message: "This ticket's order is \(order.status.rawValue)")
    }

    public static func validate(ticketCode: String, door: String?) throws {
        guard (1...32).contains(ticketCode.count), ticketCode.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw HoldfastError.invalid("ticketCode is the code on the ticket, letters and digits")
        }
        if let door { try Validate.text(door, field: "door", max: 40) }
    }

    public static let unknownTicket = HoldfastError(.notFound, code: "TICKET_NOT_FOUND", message: "No ticket has this code")
}

/// The event of a check-in, on the order's aggregate.
public enum CheckInEvents {
    public static func checkedIn(_ checkIn: CheckIn, userId: String) -> DomainEvent {
        struct Payload: Encodable {
            let orderId: UUID
            let userId: String
            let showId: UUID
            let seatIds: [String]
            let checkedInBy: String
            let door: String?
        }
        return DomainEvent(
            type: .ticketCheckedIn, aggregateType: "order", aggregateId: checkIn.orderId,
            payload: Payload(
                orderId: checkIn.orderId, userId: userId, showId: checkIn.showId, seatIds: checkIn.seatIds, checkedInBy: checkIn.checkedInBy,
                door: checkIn.door),
            at: checkIn.checkedInAt)
    }
}
