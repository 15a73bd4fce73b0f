import Foundation
import HoldfastCore

/// The versioned seat states behind live seat maps (written by the claims' own transactions).
public protocol LiveSeatStore: Sendable {
    /// Every seat of the show that ever changed, as of one consistent moment.
    func seatVersions(showId: UUID) async throws -> [SeatChange]
    /// Changes of every show with a version above `version`, in version order (SQLite, whose versions commit in order).
    func seatChanges(after version: Int64, limit: Int) async throws -> [SeatChange]
    func latestSeatVersion() async throws -> Int64
    /// Calls `received` with each seat change any instance commits, in commit order, until cancelled
    /// (PostgreSQL LISTEN/NOTIFY); returns at once when `sharesLiveMessages` is false.
    func followSeatChanges(_ received: @escaping @Sendable (SeatChange) async -> Void) async throws
}
