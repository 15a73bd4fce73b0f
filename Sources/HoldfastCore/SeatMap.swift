import Foundation

/// Who holds a seat right now, as the store reports it.
public struct SeatClaim: Sendable, Hashable {
    public enum Stage: String, Sendable {
        /// Kept by a hold.
        case held = "HELD"
        /// Kept by an order waiting for payment.
        case pending = "PENDING"
        /// Paid for.
        case booked = "BOOKED"
    }

    public let seatId: String
    public let userId: String
    public let stage: Stage
    /// When the claim lapses; never for a booked seat.
    public let expiresAt: Date?

    public init(seatId: String, userId: String, stage: Stage, expiresAt: Date?) {
        self.seatId = seatId
        self.userId = userId
        self.stage = stage
        self.expiresAt = expiresAt
    }

    public func isLive(at now: Date) -> Bool {
        stage == .booked || (expiresAt.map { $0 > now } ?? false)
    }
}

public enum SeatState: String, Sendable, Codable {
    case available
    case held
    case booked
}

public struct SeatMapSeat: Sendable, Hashable, Codable {
    public let id: String
    public let row: String
    public let number: Int
    public let category: String
    public let price: Money
    public let state: SeatState
    /// True when the seat is held by the caller (in a hold or an unpaid order of theirs).
    public let mine: Bool
}

/// Every seat of a show with its state as of one instant.
public struct SeatMap: Sendable, Hashable {
    public let show: Show
    public let seats: [SeatMapSeat]
    public let status: ShowStatus

    public init(show: Show, claims: [SeatClaim], now: Date, caller: String?) {
        var live: [String: SeatClaim] = [:]
        for claim in claims where claim.isLive(at: now) { live[claim.seatId] = claim }
        self.show = show
        self.seats = show.pricedSeats.map { priced in
            let claim = live[priced.seat.seatId]
            let state: SeatState = switch claim?.stage {
            case nil: .available
            case .booked: .booked
            case .held, .pending: .held
            }
            return SeatMapSeat(
                id: priced.seat.seatId, row: priced.seat.row, number: priced.seat.number,
                category: priced.seat.category, price: priced.price, state: state,
                mine: caller != nil && claim?.userId == caller && state == .held)
        }
        self.status = show.status(takenSeats: live.count)
    }

    public var availableCount: Int { seats.count { $0.state == .available } }
}
