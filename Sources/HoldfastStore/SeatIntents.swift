import Foundation
import HoldfastCore
import Synchronization

/// The seats this instance is claiming right now, per show. A hold whose seats overlap a claim already on its way
/// to the store waits for that claim to end instead of sending a second write for the same seats: when a show goes
/// on sale, the crowd's doomed attempts no longer queue at the writer (and on PostgreSQL no longer wait on each
/// other's row locks). A claim that ends with another buyer holding some of the waiting claim's seats refuses it at
/// once (those seats are taken: the write that took them has committed); otherwise the waiting claim looks again at
/// a fresh snapshot once none of its seats is in flight. Only a pre-filter: other instances' claims meet at the
/// database, whose conditional write stays the only judge.
public final class SeatIntents: Sendable {
    private enum Wake {
        case enter
        case lookAgain
        case taken([String])
    }

    private struct Waiter {
        let seatIds: [String]
        let userId: String
        let wake: CheckedContinuation<Wake, Never>
    }

    private struct Show {
        var seats: Set<String> = []
        /// Claims that found some of their seats in flight; `end` wakes each once it can decide for it.
        var waiting: [Waiter] = []
    }

    private let shows = Mutex<[UUID: Show]>([:])

    public init() {}

    /// Runs `claim` with `seatIds` marked as being claimed by `userId`. When a claim on this instance already has any
    /// of them, waits for the claims in the way to end: throws `seatsUnavailable` (naming the seats) when one of them
    /// ended holding seats of this claim for another buyer, else answers nil without running `claim` (the caller looks
    /// again).
    public func claiming<T: Sendable>(
        _ seatIds: [String], of showId: UUID, by userId: String, _ claim: () async throws -> T
    ) async throws -> T? {
        let wake = await withCheckedContinuation { (continuation: CheckedContinuation<Wake, Never>) in
            let free = shows.withLock { shows in
                var show = shows[showId, default: Show()]
                let free = show.seats.isDisjoint(with: seatIds)
                if free {
                    show.seats.formUnion(seatIds)
                } else {
                    show.waiting.append(Waiter(seatIds: seatIds, userId: userId, wake: continuation))
                }
                shows[showId] = show
                return free
            }
            if free { continuation.resume(returning: .enter) }
        }
        switch wake {
        case .enter: break
        case .lookAgain: return nil
        case .taken(let seatIds): throw HoldfastError.seatsUnavailable(seatIds)
        }
        do {
            let made = try await claim()
            end(seatIds, of: showId, heldBy: userId)
            return made
        } catch {
            end(seatIds, of: showId, heldBy: nil)
            throw error
        }
    }

    /// Seats of the show some claim on this instance is writing now.
    public func inFlight(_ showId: UUID) -> Set<String> {
        shows.withLock { $0[showId]?.seats ?? [] }
    }

    /// Lets `seatIds` go — held by `holder` now, or by nobody new when the claim failed — and wakes the waiting claims
    /// this decides: those that lost seats to the holder, and those none of whose seats is in flight any more.
    private func end(_ seatIds: [String], of showId: UUID, heldBy holder: String?) {
        let woken: [(Waiter, Wake)] = shows.withLock { shows in
            guard var show = shows[showId] else { return [] }
            show.seats.subtract(seatIds)
            let ended = Set(seatIds)
            var woken: [(Waiter, Wake)] = []
            show.waiting.removeAll { waiter in
                if let holder, holder != waiter.userId {
                    let taken = waiter.seatIds.filter(ended.contains)
                    if !taken.isEmpty {
                        woken.append((waiter, .taken(taken)))
                        return true
                    }
                }
                guard show.seats.isDisjoint(with: waiter.seatIds) else { return false }
                woken.append((waiter, .lookAgain))
                return true
            }
            shows[showId] = show.seats.isEmpty && show.waiting.isEmpty ? nil : show
            return woken
        }
        for (waiter, wake) in woken { waiter.wake.resume(returning: wake) }
    }
}
