import Foundation
import Synchronization

/// Writes that wait for the same turn, gathered so that the one whose turn comes makes them all in one statement.
///
/// The first write to arrive for a key leads a gathering: it waits for its turn (in `lead`) while later writes for
/// the key join it. When the turn comes, the leader takes everyone gathered so far (the gathering closes: later
/// writes start the next one), writes them together and hands each its outcome. A leader that gives up before its
/// turn hands the lead to the next write gathered; a write that gives up while gathered leaves. A write that does not
/// `fit` the gathering (or finds it full) waits for a turn of its own.
final class WriteGatherings<Key: Hashable & Sendable, Item: Sendable, Output: Sendable>: Sendable {
    typealias Outcome = Result<Output, any Error>
    /// Takes the gathering's items, once (later calls answer the same), the leader's among them.
    typealias Take = @Sendable () -> [Item]

    private enum Wake {
        /// Leads the gathering.
        case lead
        /// Does not fit the open gathering: writes alone.
        case alone
        case done(Outcome)
    }

    private struct Member {
        let id: Int
        let item: Item
        /// Nil for the leader, which is not waiting.
        var wake: CheckedContinuation<Wake, any Error>?
    }

    private struct Gathering {
        /// The leader first (not waiting), then the members waiting in arrival order.
        var members: [Member]
    }

    private struct State {
        var nextId = 0
        var open: [Key: Gathering] = [:]
    }

    let maximum: Int
    private let fits: @Sendable (Item, [Item]) -> Bool
    private let state = Mutex(State())

    /// `fits` answers whether an item may join the items gathered (say, whether their seats are apart).
    init(maximum: Int, fits: @escaping @Sendable (_ item: Item, _ gathered: [Item]) -> Bool) {
        precondition(maximum > 0, "a gathering holds at least its leader")
        self.maximum = maximum
        self.fits = fits
    }

    /// Writes `item` with the gathering for `key`. `lead` runs when this write leads: it waits for the turn, takes
    /// the gathering (`take`) and answers an outcome for each item taken, in their order.
    func write(_ item: Item, key: Key, lead: (_ take: @escaping Take) async throws -> [Outcome]) async throws -> Output {
        let id = state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
        switch try await join(item, id: id, key: key) {
        case .done(let outcome): return try outcome.get()
        case .lead: return try await leading(id, key: key, lead)
        case .alone: return try await lead({ [item] })[0].get()  // a turn of its own: nobody joins it
        }
    }

    /// Items gathered for `key` and not yet taken.
    func gathered(_ key: Key) -> Int {
        state.withLock { $0.open[key]?.members.count ?? 0 }
    }

    /// Leads a new gathering (at once), or joins the open one and waits to be handed an outcome or the lead, or —
    /// the item does not fit there — goes alone (at once). A caller cancelled while gathered leaves the gathering.
    private func join(_ item: Item, id: Int, key: Key) async throws -> Wake {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Wake, any Error>) in
                let now: Result<Wake, CancellationError>? = state.withLock { state in
                    guard var gathering = state.open[key] else {
                        state.open[key] = Gathering(members: [Member(id: id, item: item, wake: nil)])
                        return .success(.lead)
                    }
                    guard gathering.members.count < maximum, fits(item, gathering.members.map(\.item)) else { return .success(.alone) }
                    // Checked under the lock the cancellation handler takes: a caller cancelled from here on is found gathered.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    gathering.members.append(Member(id: id, item: item, wake: continuation))
                    state.open[key] = gathering
                    return nil
                }
                if let now { continuation.resume(with: now) }
            }
        } onCancel: {
            let waiting: CheckedContinuation<Wake, any Error>? = state.withLock { state in
                guard var gathering = state.open[key], let index = gathering.members.firstIndex(where: { $0.id == id }),
                    let wake = gathering.members[index].wake
                else { return nil }
                gathering.members.remove(at: index)
                state.open[key] = gathering
                return wake
            }
            waiting?.resume(throwing: CancellationError())
        }
    }

    /// Leads the gathering: runs `lead`, then hands every member taken its outcome, or — `lead` gave up before it
    /// took them — leaves and hands the lead to the next member.
    private func leading(_ id: Int, key: Key, _ lead: (_ take: @escaping Take) async throws -> [Outcome]) async throws -> Output {
        let taken = Taken()
        let take: Take = { [self] in
            taken.members.withLock { taken in
                if taken == nil {
                    taken = state.withLock { state in
                        let members = state.open.removeValue(forKey: key)?.members ?? []
                        precondition(members.first?.id == id, "only a gathering's leader takes it")
                        return members
                    }
                }
                return taken!.map(\.item)
            }
        }
        let outcomes: [Outcome]
        do {
            outcomes = try await lead(take)
        } catch {
            if let members = taken.members.withLock({ $0 }) {
                for member in members { member.wake?.resume(returning: .done(.failure(error))) }
            } else {
                handOver(from: id, key: key)
            }
            throw error
        }
        let members = taken.members.withLock { $0 } ?? []
        precondition(outcomes.count == members.count, "one outcome for each write taken")
        for (member, outcome) in zip(members, outcomes) { member.wake?.resume(returning: .done(outcome)) }
        return try outcomes[members.firstIndex { $0.id == id } ?? 0].get()
    }

    /// The leader leaves its gathering before taking it; the next member (if any) leads.
    private func handOver(from id: Int, key: Key) {
        let next: CheckedContinuation<Wake, any Error>? = state.withLock { state in
            guard var gathering = state.open[key], gathering.members.first?.id == id else { return nil }
            gathering.members.removeFirst()
            guard !gathering.members.isEmpty else {
                state.open[key] = nil
                return nil
            }
            // The new leader is not waiting any more.
            let wake = gathering.members[0].wake
            gathering.members[0].wake = nil
            state.open[key] = gathering
            return wake
        }
        next?.resume(returning: .lead)
    }

    /// The members a leader took, once it took them.
    private final class Taken: Sendable {
        let members = Mutex<[Member]?>(nil)
    }
}
