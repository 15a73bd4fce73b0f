import Foundation
import HoldfastCore
import HoldfastStore

/// What a cinema customer is told when money they paid bought nothing: the refund went through, or it is
/// stuck and a person is on it.
enum RefundMail {
    static let events: Set<String> = [EventType.refundSucceeded.rawValue, EventType.refundFailed.rawValue]

    struct Reference: Decodable {
        let orderId: UUID
        let userId: String
        let amount: Money
        let reason: String
    }

    static func message(for event: DomainEvent, order: Order, now: Date) throws -> MailMessage {
        let reference = try event.decodePayload(Reference.self)
        let why = switch RefundReason(rawValue: reference.reason) {
        case .seatsGone: "Your payment reached us after your order's time to pay had run out, and its seats had been sold by then."
        case .alreadyPaid: "This order had already been paid, so this second payment was not needed."
        case .orderCancelled, nil: "This order had been cancelled by the time your payment reached us."
        }
        let (subject, news): (String, String) =
            event.type == EventType.refundSucceeded.rawValue
            ? ("Your payment of \(reference.amount.text) has been refunded", "We have refunded \(reference.amount.text) to the card you paid with.")
            : ("We are refunding your payment of \(reference.amount.text)",
               "The refund of \(reference.amount.text) has not gone through yet; our team has been alerted and will see it through.")
        let lines = [
            "Hello \(order.customer.name),", "", why, news, "", "Order: \(order.orderId.uuidString)", "Seats: \(order.seatIds.joined(separator: ", "))",
        ]
        return MailMessage(eventId: event.eventId, recipient: order.customer.email, subject: subject, body: lines.joined(separator: "\n"), sentAt: now)
    }
}
