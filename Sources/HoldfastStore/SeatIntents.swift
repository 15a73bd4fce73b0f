import Foundation
import Synchronization

/// The seats this instance is claiming right now, per show. A hold whose seats overlap a claim already on its way
/// to the store waits for that claim to end and then looks again at a fresh snapshot, instead of sending a second
/// write for the same seats: when a show goes on sale, the crowd's doomed attempts no longer queue at the writer
/// (and on PostgreSQL no longer wait on each other's row locks). Only a pre-filter: other instances' claims meet
/// at the database, whose conditional write stays the only judge.
public final class SeatIntents: Sendable {
    private struct Show {
        var seats: Set<String> = []
        /// Claims that found their seats busy; each is told when any claim on the show ends.
        var waiting: [CheckedContinuation<Bool, Never>] = []
    }

    private let shows = Mutex<[UUID: Show]>([:])

    public init() {}

    /// Runs `claim` with `seatIds` marked as being claimed. When a claim on this instance already has any of them,
    /// waits until a claim on the show ends and answers nil without running `claim`: the caller looks again.
    public func claiming<T: Sendable>(
        _ seatIds: [String], of showId: UUID, _ claim: () async throws -> T
    ) async throws -> T? {
        let entered = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let free = shows.withLock { shows in
                var show = shows[showId, default: Show()]
                let free = show.seats.isDisjoint(with: seatIds)
                if free { show.seats.formUnion(seatIds) } else { show.waiting.append(continuation) }
                shows[showId] = show
                return free
            }
            if free { continuation.resume(returning: true) }
        }
        guard entered else { return nil }
        defer { end(seatIds, of: showId) }
        return try await claim()
    }

    /// Seats of the show some claim on this instance is writing now.
    public func inFlight(_ showId: UUID) -> Set<String> {
        shows.withLock { $0[showId]?.seats ?? [] }
    }

    private func end(_ seatIds: [String], of showId: UUID) {
        let waiting: [CheckedContinuation<Bool, Never>] = shows.withLock { shows in
            guard var show = shows[showId] else { return [] }
            show.seats.subtract(seatIds)
            let waiting = show.waiting
            show.waiting = []
            shows[showId] = show.seats.isEmpty ? nil : show
            return waiting
        }
        for waiter in waiting { waiter.resume(returning: false) }
    }
}
