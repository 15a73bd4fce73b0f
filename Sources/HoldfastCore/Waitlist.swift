import Foundation

/// A customer waiting for seats of a sold-out show. When seats free up, the first in line gets an offer: a
/// hold made for them (best available), theirs until the hold's expiry; ordered in time it is ACCEPTED,
/// otherwise EXPIRED and the seats go to the next in line.
public struct WaitlistEntry: Sendable, Hashable, Codable {
    public let entryId: UUID
    public let showId: UUID
    public let userId: String
    public let quantity: Int
    /// Where the offer is sent.
    public let email: String
    public var status: WaitlistStatus
    public var holdId: UUID?
    public var offerExpiresAt: Date?
    public let createdAt: Date

    public init(
        entryId: UUID? = nil, showId: UUID, userId: String, quantity: Int, email: String, status: WaitlistStatus = .waiting,
        holdId: UUID? = nil, offerExpiresAt: Date? = nil, createdAt: Date
    ) {
        self.entryId = entryId ?? UUID(timeOrderedAt: createdAt)
        self.showId = showId
        self.userId = userId
        self.quantity = quantity
        self.email = email
        self.status = status
        self.holdId = holdId
        self.offerExpiresAt = offerExpiresAt
        self.createdAt = createdAt
    }

    public func validate(policy: BookingPolicy) throws {
        guard (1...policy.maxSeatsPerHold).contains(quantity) else {
            throw HoldfastError.invalid("quantity must be 1-\(policy.maxSeatsPerHold)", code: "TOO_MANY_SEATS")
        }
        try Validate.email(email, field: "email")
    }
}

public enum WaitlistStatus: String, Sendable, Codable, CaseIterable {
    case waiting = "WAITING"
    case offered = "OFFERED"
    case accepted = "ACCEPTED"
    case expired = "EXPIRED"
    case left = "LEFT"
}

/// The events of waiting lists, on the entry's own aggregate; they carry ids only (the mail reads the entry).
public enum WaitlistEvents {
    struct Payload: Encodable {
        let entryId: UUID
        let showId: UUID
        let userId: String
        let quantity: Int
        let holdId: UUID?
        let offerExpiresAt: Date?
    }

    public static func event(_ type: EventType, _ entry: WaitlistEntry, at time: Date) -> DomainEvent {
        DomainEvent(
            type: type, aggregateType: "waitlist", aggregateId: entry.entryId,
            payload: Payload(
                entryId: entry.entryId, showId: entry.showId, userId: entry.userId, quantity: entry.quantity, holdId: entry.holdId,
                offerExpiresAt: entry.offerExpiresAt),
            at: time)
    }
}

extension HoldfastError {
    public static let alreadyWaiting = HoldfastError(.conflict, code: "ALREADY_WAITING", message: "You are already on this show's waiting list")
    public static func seatsStillAvailable(_ count: Int) -> HoldfastError {
        HoldfastError(.conflict, code: "SEATS_AVAILABLE", message: "\(count) seats side by side are still free: hold them instead of waiting")
    }
}
