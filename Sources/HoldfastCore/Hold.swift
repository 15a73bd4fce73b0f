import Foundation

/// Seats kept aside for one user for a short time, on the way to an order.
public struct Hold: Sendable, Hashable, Codable {
    public var holdId: UUID
    public var showId: UUID
    public var userId: String
    public var seatIds: [String]
    public var quantity: Int
    public var status: HoldStatus
    public var extensions: Int
    public var createdAt: Date
    public var expiresAt: Date

    public init(
        holdId: UUID, showId: UUID, userId: String, seatIds: [String], status: HoldStatus, extensions: Int = 0,
        createdAt: Date, expiresAt: Date
    ) {
        self.holdId = holdId
        self.showId = showId
        self.userId = userId
        self.seatIds = seatIds
        self.quantity = seatIds.count
        self.status = status
        self.extensions = extensions
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The status as of `now`: a HELD hold past its expiry is EXPIRED even before any sweeper ran.
    public func status(at now: Date) -> HoldStatus {
        status == .held && expiresAt <= now ? .expired : status
    }

    public func isLive(at now: Date) -> Bool { status(at: now) == .held }
}

public enum HoldStatus: String, Sendable, Codable {
    case held = "HELD"
    case released = "RELEASED"
    case converted = "CONVERTED"
    case expired = "EXPIRED"
}
