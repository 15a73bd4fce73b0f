import Foundation
import HoldfastCore

/// The versioned seat states behind live seat maps (written by the claims' own transactions).
public protocol LiveSeatStore: Sendable {
    /// Every seat of the show that ever changed, as of one consistent moment.
    func seatVersions(showId: UUID) async throws -> [SeatChange]
    /// Changes of every show with a version above `version`, in version order (SQLite, whose versions commit in order).
    func seatChanges(after version: Int64, limit: Int) async throws -> [SeatChange]
    func latestSeatVersion() async throws -> Int64
    /// The show's stamp — it differs from every earlier stamp of the show once the show or any of its seats
    /// changed — and, unless it is `known`, the show and its claims, read after the stamp in the same read (one
    /// round trip to the store's reader when nothing changed); nil for an unknown show.
    func seatMapRead(showId: UUID, unless known: SeatMapStamp?) async throws -> SeatMapRead?
    /// Calls `received` with each seat change any instance commits, in commit order, until cancelled
    /// (PostgreSQL LISTEN/NOTIFY); returns at once when `sharesLiveMessages` is false.
    func followSeatChanges(_ received: @escaping @Sendable (SeatChange) async -> Void) async throws
}

/// What a seat map was built from, in three numbers: the show row's revision, how many of its seats ever
/// changed and the sum of their versions. Each committed seat change adds a row or raises one seat's
/// version, so the stamp after any change differs from every stamp before it, on either backend. It also
/// says whether the show has a waiting room, read in the same query, so a hold learns both in one round trip.
public struct SeatMapStamp: Sendable, Hashable {
    public let showRevision: Int64
    public let changedSeats: Int64
    public let versionSum: Int64
    public let waitingRoom: Bool

    public init(showRevision: Int64, changedSeats: Int64, versionSum: Int64, waitingRoom: Bool) {
        self.showRevision = showRevision
        self.changedSeats = changedSeats
        self.versionSum = versionSum
        self.waitingRoom = waitingRoom
    }
}

/// What `LiveSeatStore.seatMapRead` read: the stamp, and the show with its claims when they changed.
public struct SeatMapRead: Sendable {
    public let stamp: SeatMapStamp
    public let changed: (show: Show, claims: [SeatClaim])?

    public init(stamp: SeatMapStamp, changed: (show: Show, claims: [SeatClaim])?) {
        self.stamp = stamp
        self.changed = changed
    }
}
