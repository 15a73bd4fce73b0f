import Foundation
import HoldfastCore

/// What the reports read: a seat's history and a show's sales counts.
public protocol ReportStore: Sendable {
    /// The seat's changes, oldest first (at most `limit`).
    func seatHistory(showId: UUID, seatId: String, limit: Int) async throws -> [SeatHistoryEntry]
    /// Holds and orders of the show by status as of `now` (lapsed ones count as EXPIRED), revenue, refunds, check-ins.
    func salesCounts(showId: UUID, now: Date) async throws -> SalesCounts
}
