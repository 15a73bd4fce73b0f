import Foundation

/// The tunable rules of selling seats.
public struct BookingPolicy: Sendable, Hashable {
    /// How long a hold keeps its seats (seed: HOLD_TTL_SECONDS, 300).
    public var holdTTL: TimeInterval
    /// How long an order waits for payment (seed: ORDER_TTL_SECONDS, 300).
    public var orderTTL: TimeInterval
    public var maxSeatsPerHold: Int
    /// How many times one hold may be extended by another `holdTTL`.
    public var maxHoldExtensions: Int

    public init(holdTTL: TimeInterval = 300, orderTTL: TimeInterval = 300, maxSeatsPerHold: Int = 10, maxHoldExtensions: Int = 2) {
        self.holdTTL = holdTTL
        self.orderTTL = orderTTL
        self.maxSeatsPerHold = maxSeatsPerHold
        self.maxHoldExtensions = maxHoldExtensions
    }
}
