import Foundation
import HoldfastCore

/// The refusals a hold gets from the seat snapshot alone, before anything is written or waited for — shared by
/// `createHold` and `createBestAvailableHold` and by callers that answer such a refusal themselves (the server's
/// fast lane), so both give the same answer to the same request.
extension BookingService {
    /// What `createHold` answers from `snapshot` (checked after the request came) before it writes: seats someone else
    /// holds or booked; nil when it would go on — to write, or first to a waiting room, a bad request or a show no
    /// longer on sale, which it answers itself.
    public func refusal(seatIds: [String], quantity: Int?, userId: String, in snapshot: SeatSnapshot) -> HoldfastError? {
        let now = clock.now()
        guard decidesAlone(snapshot, at: now),
            let selection = try? SeatSelection(seatIds: seatIds, quantity: quantity, show: snapshot.show, policy: policy)
        else { return nil }
        return Self.taken(selection.seatIds, by: userId, in: snapshot, at: now)
    }

    /// What `createBestAvailableHold` answers from `snapshot` (checked after the request came) before it writes: no
    /// block of the size and filters left; nil when it would go on (as `refusal(seatIds:quantity:userId:in:)`).
    public func refusal(_ request: BestAvailable, userId: String, in snapshot: SeatSnapshot) -> HoldfastError? {
        let now = clock.now()
        guard decidesAlone(snapshot, at: now) else { return nil }
        return request.fits(in: snapshot.show, free: freeSeats(for: userId, in: snapshot, at: now)) ? nil : request.unavailable
    }

    /// Whether the snapshot alone decides a hold at `now`: not with a waiting room (the buyer's admission comes first)
    /// nor once the show is off sale (the hold answers that).
    private func decidesAlone(_ snapshot: SeatSnapshot, at now: Date) -> Bool {
        !snapshot.hasWaitingRoom && (try? ensureOnSale(snapshot.show, now: now)) != nil
    }

    /// The seats of `seatIds` someone other than `userId` holds or booked in `snapshot` at `now`, as a refusal.
    static func taken(_ seatIds: [String], by userId: String, in snapshot: SeatSnapshot, at now: Date) -> HoldfastError? {
        let taken = snapshot.taken(seatIds, at: now, except: userId)
        return taken.isEmpty ? nil : HoldfastError.seatsUnavailable(taken)
    }

    /// The seats free for `userId` in `snapshot` at `now`: its own held seats count as free (a new hold replaces
    /// them); those this instance claimed for others since the snapshot's check do not.
    func freeSeats(for userId: String, in snapshot: SeatSnapshot, at now: Date) -> Set<String> {
        snapshot.freeSeats(at: now, except: userId).subtracting(snapshots.claimedSince(snapshot, except: userId))
    }
}
