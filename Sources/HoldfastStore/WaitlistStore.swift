import Foundation
import HoldfastCore

/// Waiting lists for sold-out shows, first come first served.
public protocol WaitlistStore: Sendable {
    /// Adds the entry (WaitlistJoined); a user waits at most once per show (`alreadyWaiting`).
    func joinWaitlist(_ entry: WaitlistEntry, now: Date) async throws -> WaitlistEntry
    func waitlistEntry(_ entryId: UUID) async throws -> WaitlistEntry?
    /// The user's WAITING or OFFERED entry for the show, and how many WAITING entries are ahead of it.
    func waitlistEntry(showId: UUID, userId: String) async throws -> (entry: WaitlistEntry, ahead: Int)?
    /// The user's WAITING or OFFERED entry is LEFT (an offered hold stays theirs until it lapses).
    func leaveWaitlist(showId: UUID, userId: String, now: Date) async throws -> WaitlistEntry
    /// Shows with somebody WAITING.
    func showsWithWaiters(limit: Int) async throws -> [UUID]
    /// The first WAITING entry of the show.
    func nextWaiting(showId: UUID) async throws -> WaitlistEntry?
    /// WAITING → OFFERED with `hold` (WaitlistOffered); nil when the entry no longer waits.
    func offer(_ entryId: UUID, hold: Hold, now: Date) async throws -> WaitlistEntry?
    /// OFFERED entries whose hold became an order are ACCEPTED; whose hold lapsed or was released, EXPIRED
    /// (WaitlistOfferExpired). Answers the entries it changed.
    func settleOffers(now: Date) async throws -> [WaitlistEntry]
}
