import Foundation
import HoldfastCore

/// Named seats, or `quantity` seats chosen by best available (optionally in one `category` and at most
/// `maxPrice` each).
struct CreateHoldRequest: Decodable {
    let showId: String
    let seatIds: [String]?
    let quantity: Int?
    let category: String?
    let maxPrice: Money?

    /// The hold asked for, as the route and the fast lane both read it: the show, then named seats or the best
    /// available for a quantity with its optional filters (checked in that order, so both refuse alike).
    func requested(policy: BookingPolicy) throws -> RequestedHold {
        let showId = try RequestParameters.uuid(self.showId, field: "showId")
        if let seatIds {
            guard category == nil, maxPrice == nil else {
                throw HoldfastError.invalid("category and maxPrice choose seats for you: send them without seatIds")
            }
            return RequestedHold(showId: showId, seats: .named(seatIds, quantity: quantity))
        }
        guard let quantity else { throw HoldfastError.invalid("send seatIds, or quantity for the best seats available") }
        return RequestedHold(showId: showId, seats: .best(try BestAvailable(count: quantity, category: category, maxPrice: maxPrice, policy: policy)))
    }
}

/// A checked `CreateHoldRequest`.
struct RequestedHold: Sendable {
    enum Seats: Sendable {
        case named([String], quantity: Int?)
        case best(BestAvailable)
    }

    let showId: UUID
    let seats: Seats
}

struct UpdateHoldRequest: Decodable {
    let seatIds: [String]?
    let quantity: Int?
    let extend: Bool?
}

struct PayRequest: Decodable {
    /// A token of the payment gateway; the simulated one knows tok_success, tok_decline and tok_timeout.
    let paymentToken: String
}

struct PaymentResponse: Encodable {
    let paymentId: UUID
    let status: PaymentStatus
    let failureReason: String?

    init(_ payment: Payment) {
        paymentId = payment.paymentId
        status = payment.status
        failureReason = payment.failureReason
    }
}

struct CreateOrderRequest: Decodable {
    let holdId: String
    let customer: Customer
}

struct HoldResponse: Encodable {
    let holdId: UUID
    let showId: UUID
    let userId: String
    let seatIds: [String]
    let quantity: Int
    let status: HoldStatus
    let extensions: Int
    let createdAt: Date
    let expiresAt: Date

    init(_ hold: Hold, now: Date) {
        holdId = hold.holdId
        showId = hold.showId
        userId = hold.userId
        seatIds = hold.seatIds
        quantity = hold.quantity
        status = hold.status(at: now)
        extensions = hold.extensions
        createdAt = hold.createdAt
        expiresAt = hold.expiresAt
    }
}

struct OrderResponse: Encodable {
    let orderId: UUID
    let userId: String
    let showId: UUID
    let holdId: UUID
    let seatIds: [String]
    let customer: Customer
    let amount: Money
    let status: OrderStatus
    let ticketCode: String?
    let createdAt: Date
    let confirmedAt: Date?
    let cancelledAt: Date?
    let expiresAt: Date
    /// The payment attempt this answer is about, on confirm-payment.
    let payment: PaymentResponse?

    init(_ order: Order, now: Date, payment: Payment? = nil) {
        self.payment = payment.map(PaymentResponse.init)
        orderId = order.orderId
        userId = order.userId
        showId = order.showId
        holdId = order.holdId
        seatIds = order.seatIds
        customer = order.customer
        amount = order.amount
        status = order.status(at: now)
        ticketCode = order.ticketCode
        createdAt = order.createdAt
        confirmedAt = order.confirmedAt
        cancelledAt = order.cancelledAt
        expiresAt = order.expiresAt
    }
}
