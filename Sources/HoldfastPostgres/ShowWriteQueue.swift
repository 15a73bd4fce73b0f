import Foundation
import Synchronization

/// The writes of one show's seats that every purchase makes — a hold's claim, an order, a settlement — at most
/// `width` at a time, the rest waiting their turn, claims first.
///
/// When a show goes on sale its buyers' writes arrive together. PostgreSQL starts as many statements as it is sent,
/// and on a few cores they share them: every one of them finishes late, and the server's threads wait for a core
/// behind them. A few at a time finish one after another instead, and a claim — what a buyer who does not yet know
/// whether a seat is theirs waits for — goes before the orders and payments of buyers whose seats are already held.
/// Each show has a lane of its own while it has writes, so a show on sale never holds up another's.
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
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Lane {
        var running = 0
        var claims: [Waiter] = []
        var purchases: [Waiter] = []

        mutating func next() -> Waiter? {
            if !claims.isEmpty { return claims.removeFirst() }
            if !purchases.isEmpty { return purchases.removeFirst() }
            return nil
        }

        mutating func remove(_ id: Int) -> Waiter? {
            if let index = claims.firstIndex(where: { $0.id == id }) { return claims.remove(at: index) }
            if let index = purchases.firstIndex(where: { $0.id == id }) { return purchases.remove(at: index) }
            return nil
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
        try await enter(place.show, place.turn)
        defer { leave(place.show) }
        try Task.checkCancellation()
        return try await body()
    }

    /// Writes running or waiting on `show`.
    func writes(on show: UUID) -> (running: Int, waiting: Int) {
        state.withLock { state in
            guard let lane = state.lanes[show] else { return (0, 0) }
            return (lane.running, lane.claims.count + lane.purchases.count)
        }
    }

    private func enter(_ show: UUID, _ turn: Turn) async throws {
        let id = state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let entry: Entry = state.withLock { state in
                    var lane = state.lanes[show, default: Lane()]
                    defer { state.lanes[show] = lane.running == 0 ? nil : lane }
                    if lane.running < width {
                        lane.running += 1
                        return .admitted
                    }
                    // Checked under the lock the cancellation handler takes: a caller cancelled from here on is found queued.
                    if Task.isCancelled { return .cancelled }
                    let waiter = Waiter(id: id, continuation: continuation)
                    switch turn {
                    case .claim: lane.claims.append(waiter)
                    case .purchase: lane.purchases.append(waiter)
                    }
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

    /// Hands the finished write's place to the next in line, or frees it.
    private func leave(_ show: UUID) {
        let next: Waiter? = state.withLock { state in
            guard var lane = state.lanes[show] else { return nil }
            let next = lane.next()
            if next == nil { lane.running -= 1 }
            state.lanes[show] = lane.running == 0 ? nil : lane
            return next
        }
        next?.continuation.resume()
    }
}
