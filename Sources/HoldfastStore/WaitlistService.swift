import Foundation
import HoldfastCore

/// Waiting lists: joining a sold-out show, and handing freed seats to the first in line as a hold.
public struct WaitlistService: Sendable {
    public let booking: BookingService

    public init(booking: BookingService) {
        self.booking = booking
    }

    var stores: any HoldfastStores { booking.stores }

    /// Joins the show's list when no `quantity` seats side by side are free (else `seatsStillAvailable`).
    public func join(showId: UUID, userId: String, quantity: Int, email: String) async throws -> (entry: WaitlistEntry, ahead: Int) {
        let snapshot = try await booking.snapshots.current(showId)
        let show = snapshot.show
        let now = booking.clock.now()
        try booking.ensureOnSale(show, now: now)
        let entry = WaitlistEntry(showId: showId, userId: userId, quantity: quantity, email: email, createdAt: now)
        try entry.validate(policy: booking.policy)
        let request = try BestAvailable(count: quantity, policy: booking.policy)
        guard request.blocks(in: show, free: snapshot.freeSeats(at: now)).isEmpty else {
            throw HoldfastError.seatsStillAvailable(quantity)
        }
        _ = try await stores.joinWaitlist(entry, now: now)
        guard let joined = try await stores.waitlistEntry(showId: showId, userId: userId) else { throw HoldfastError.notFound("Waiting list entry") }
        return joined
    }

    /// One pass: offers that were taken up or lapsed are settled, then each show's first in line gets the best
    /// free block as a hold, as long as blocks keep fitting (first come, first served: nobody is skipped).
    /// Answers the offers made.
    @discardableResult
    public func offerFreedSeats() async throws -> [WaitlistEntry] {
        _ = try await stores.settleOffers(now: booking.clock.now())
        var offers: [WaitlistEntry] = []
        for showId in try await stores.showsWithWaiters(limit: 500) {
            while let next = try await stores.nextWaiting(showId: showId) {
                let hold: Hold
                do {
                    let request = try BestAvailable(count: next.quantity, policy: booking.policy)
                    hold = try await booking.createBestAvailableHold(showId: showId, request: request, userId: next.userId)
                } catch let error as HoldfastError where ["NOT_ENOUGH_SEATS_TOGETHER", "SHOW_STARTED", "SHOW_CANCELLED"].contains(error.code) {
                    break
                }
                guard let offered = try await stores.offer(next.entryId, hold: hold, now: booking.clock.now()) else {
                    // The customer left the list meanwhile: the hold is not theirs to keep.
                    _ = try await booking.releaseHold(hold.holdId, userId: next.userId)
                    continue
                }
                offers.append(offered)
            }
        }
        return offers
    }
}
