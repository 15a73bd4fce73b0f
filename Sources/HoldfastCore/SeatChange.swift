import Foundation

/// A seat's state as of its `version`: versions of one seat only grow, so a client applies a change only
/// when its version is above the one it has, and can never miss or double-apply one.
public struct SeatChange: Sendable, Hashable, Codable {
    public let showId: UUID
    public let seatId: String
    public let state: SeatState
    public let version: Int64
    /// When a hold or unpaid order on the seat lapses (the seat is free from then on).
    public let expiresAt: Date?
    /// Who holds or booked it; never sent to other clients.
    public let userId: String?

    public init(showId: UUID, seatId: String, state: SeatState, version: Int64, expiresAt: Date?, userId: String? = nil) {
        self.showId = showId
        self.seatId = seatId
        self.state = state
        self.version = version
        self.expiresAt = expiresAt
        self.userId = userId
    }

    /// Held seats whose claim has lapsed are free, whether or not the sweeper has recorded it yet.
    public func state(at now: Date) -> SeatState {
        if state == .held, let expiresAt, expiresAt <= now { return .available }
        return state
    }
}
