import Foundation

/// A purchase of held seats: PAYMENT_PENDING until paid (CONFIRMED), abandoned (EXPIRED) or CANCELLED.
public struct Order: Sendable, Hashable, Codable {
    public var orderId: UUID
    public var userId: String
    public var showId: UUID
    public var holdId: UUID
    public var seatIds: [String]
    public var customer: Customer
    public var amount: Money
    public var status: OrderStatus
    public var ticketCode: String?
    public var createdAt: Date
    public var confirmedAt: Date?
    public var cancelledAt: Date?
    public var expiresAt: Date

    public init(
        orderId: UUID, userId: String, showId: UUID, holdId: UUID, seatIds: [String], customer: Customer,
        amount: Money, status: OrderStatus, ticketCode: String? = nil, createdAt: Date, confirmedAt: Date? = nil,
        cancelledAt: Date? = nil, expiresAt: Date
    ) {
        self.orderId = orderId
        self.userId = userId
        self.showId = showId
        self.holdId = holdId
        self.seatIds = seatIds
        self.customer = customer
        self.amount = amount
        self.status = status
        self.ticketCode = ticketCode
        self.createdAt = createdAt
        self.confirmedAt = confirmedAt
        self.cancelledAt = cancelledAt
        self.expiresAt = expiresAt
    }

    /// The status as of `now`: a pending order past its payment window is EXPIRED even before any sweeper ran.
    public func status(at now: Date) -> OrderStatus {
        status == .paymentPending && expiresAt <= now ? .expired : status
    }
}

public enum OrderStatus: String, Sendable, Codable {
    case paymentPending = "PAYMENT_PENDING"
    case confirmed = "CONFIRMED"
    case expired = "EXPIRED"
    case cancelled = "CANCELLED"
}

/// Who the tickets are for.
public struct Customer: Sendable, Hashable, Codable {
    public var name: String
    public var email: String
    public var phone: String

    public init(name: String, email: String, phone: String) {
        self.name = name
        self.email = email
        self.phone = phone
    }

    public func validate() throws {
        try Validate.text(name, field: "customer.name", max: 255)
        try Validate.email(email, field: "customer.email")
        let digits = phone.filter(\.isNumber)
        let allowed = phone.allSatisfy { $0.isNumber || " +-()".contains($0) }
        guard allowed, (7...15).contains(digits.count), phone.count <= 20 else {
            throw HoldfastError.invalid("customer.phone must be 7-15 digits (spaces, +, -, parentheses allowed)")
        }
    }
}
