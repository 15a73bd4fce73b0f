import Foundation
import Synchronization

/// The writes of one show's seats that every purchase makes — a hold's claim, an order, a settlement — at most
/// `width` at a time, the rest waiting their turn, claims first; orders and settlements leave one place to claims.
///
/// When a show goes on sale its buyers' writes arrive together. PostgreSQL starts as many statements as it is sent,
/// and on a few cores they share them: every one of them finishes late, and the server's threads wait for a core
/// behind them. A few at a time finish one after another instead, and a claim — what a buyer who does not yet know
/// whether a seat is theirs waits for — goes before the orders and payments of buyers whose seats are already held.
/// Each show has a lane of its own while it has writes, so a show on sale never holds up another's. Orders and
/// settlements (several statements, and slow while the show is busy) take at most `width - 1` places, so a claim
/// waits for claims only — and those that wait together are written together (`WriteGatherings`): with all three
/// places open to them, a hold that came after the first wave waited 8-20 ms for orders (README, fourteenth round).
final class ShowWriteQueue: Sendable {
    enum Turn: Sendable {
        /// A hold's claim: goes before every purchase queued on the show.
        case claim
        /// An order or a settlement of seats already held.
        case purchase
    }

    /// Where a write waits: its show's lane, and its turn there.
    struct Place: Sendable {
        let show: UUID
        let turn: Turn

        static func claim(_ show: UUID) -> Place { Place(show: show, turn: .claim) }
        static func purchase(_ show: UUID) -> Place { Place(show: show, turn: .purchase) }
    }

    private struct Waiter {
        let id: Int
        let turn: Turn
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Lane {
        var running = 0
        var purchases = 0
        /// In the order they go: claims in arrival order, then purchases in arrival order.
        var line: [Waiter] = []

        /// Whether a write of `turn` may start now.
        func admits(_ turn: Turn, width: Int) -> Bool {
            running < width && (turn == .claim || purchases < max(1, width - 1))
        }

        mutating func start(_ turn: Turn) {
            running += 1
            if turn == .purchase { purchases += 1 }
        }

        /// Ends a write of `turn` and starts the waiters that may start now (claims are at the front of the line).
        mutating func finish(_ turn: Turn, width: Int) -> [Waiter] {
            running -= 1
            if turn == .purchase { purchases -= 1 }
            var started: [Waiter] = []
            while let next = line.first, admits(next.turn, width: width) {
                line.removeFirst()
                start(next.turn)
                started.append(next)
            }
            return started
        }

        mutating func join(_ waiter: Waiter) {
            let behind = waiter.turn == .claim ? line.firstIndex { $0.turn == .purchase } : nil
            line.insert(waiter, at: behind ?? line.endIndex)
        }

        mutating func remove(_ id: Int) -> Waiter? {
            line.firstIndex { $0.id == id }.map { line.remove(at: $0) }
        }
    }

    private enum Entry {
        case admitted, queued, cancelled
    }

    private struct State {
        var nextId = 0
        var lanes: [UUID: Lane] = [:]
    }

    let width: Int
    private let state = Mutex(State())

    init(width: Int) {
        precondition(width > 0, "a show needs at least one write at a time")
        self.width = width
    }

    /// Runs `body` once the show's lane has room for it. A caller cancelled while it waits leaves the queue and
    /// throws `CancellationError` without running `body`.
    func run<T>(_ place: Place, _ body: () async throws -> T) async throws -> T {
        try await enter(place)
        defer { leave(place) }
        try Task.checkCancellation()
        return try await body()
    }

    /// Writes running or waiting on `show`.
    func writes(on show: UUID) -> (running: Int, waiting: Int) {
        state.withLock { state in
            guard let lane = state.lanes[show] else { return (0, 0) }
            return (lane.running, lane.line.count)
        }
    }

    private func enter(_ place: Place) async throws {
        let show = place.show
        let id = state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let entry: Entry = state.withLock { state in
                    var lane = state.lanes[show, default: Lane()]
                    defer { state.lanes[show] = lane }
                    // (Whoever waits could not start either: the lane is full, or — purchases only — their share is.)
                    if lane.admits(place.turn, width: width) {
                        lane.start(place.turn)
                        return .admitted
                    }
                    // Checked under the lock the cancellation handler takes: a caller cancelled from here on is found queued.
                    if Task.isCancelled { return .cancelled }
                    lane.join(Waiter(id: id, turn: place.turn, continuation: continuation))
                    return .queued
                }
                switch entry {
                case .admitted: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .queued: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in state.lanes[show]?.remove(id) }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Frees the finished write's place and starts whoever may start now.
    private func leave(_ place: Place) {
        let started: [Waiter] = state.withLock { state in
            guard var lane = state.lanes[place.show] else { return [] }
            let started = lane.finish(place.turn, width: width)
            state.lanes[place.show] = lane.running == 0 ? nil : lane
            return started
        }
        for waiter in started { waiter.continuation.resume() }
    }
}
