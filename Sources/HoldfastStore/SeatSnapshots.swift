import Foundation
import HoldfastCore
import Synchronization

/// A show with every claim on its seats, as of one stamp.
public struct SeatSnapshot: Sendable {
    public let stamp: SeatMapStamp
    public let show: Show
    public let claims: [SeatClaim]
    /// Callers with held or unpaid seats in the show.
    public let holders: Set<String>
    /// When the first live hold lapses; until then the same claims are live.
    public let validUntil: Date
    private let seatIds: Set<String>
    private let claimsBySeat: [String: SeatClaim]

    init(stamp: SeatMapStamp, show: Show, claims: [SeatClaim], now: Date) {
        let live = claims.filter { $0.isLive(at: now) }
        self.stamp = stamp
        self.show = show
        self.claims = claims
        self.holders = Set(live.filter { $0.stage != .booked }.map(\.userId))
        self.validUntil = live.compactMap(\.expiresAt).min() ?? .distantFuture
        self.seatIds = Set(show.layout.seats.map(\.seatId))
        self.claimsBySeat = Dictionary(claims.map { ($0.seatId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Whether buyers need an admission token to hold seats of the show.
    public var hasWaitingRoom: Bool { stamp.waitingRoom }

    /// Seats nobody holds or booked at `now`; `userId`'s own held seats count as free (a new hold replaces them).
    public func freeSeats(at now: Date, except userId: String? = nil) -> Set<String> {
        var free = seatIds
        for claim in claims where Self.blocks(claim, at: now, for: userId) { free.remove(claim.seatId) }
        return free
    }

    /// Which of `seatIds` someone else holds or booked at `now` (in the order asked).
    public func taken(_ seatIds: [String], at now: Date, except userId: String) -> [String] {
        seatIds.filter { seatId in claimsBySeat[seatId].map { Self.blocks($0, at: now, for: userId) } ?? false }
    }

    private static func blocks(_ claim: SeatClaim, at now: Date, for userId: String?) -> Bool {
        claim.isLive(at: now) && !(claim.userId == userId && claim.stage == .held)
    }

    /// The seat map as `caller` sees it at `now`.
    public func seatMap(at now: Date, caller: String?) -> SeatMap {
        SeatMap(show: show, claims: claims, now: now, caller: caller)
    }
}

/// Shows and their claims kept in memory, per show, and never handed out stale: every caller gets a snapshot
/// from a stamp check (`SeatMapStamp`, one small read) that started after the caller asked, so a seat taken
/// anywhere — this instance, another one, the sweeper — is in the next snapshot. Callers that ask together
/// share one check: while a check runs, newcomers queue, and the next check serves them all, so a crowd on one
/// show costs one query per round trip instead of one per caller. The show and its claims are read again only
/// when the stamp moved or a hold in them lapsed.
///
/// Callers in a task (`current(_:)`) run the check themselves; callers without one (an event-loop handler,
/// `current(_:reply:)`) have their checks run by `runChecks()`, which must be running for them to be answered.
public final class SeatSnapshots: Sendable {
    public typealias Reply = @Sendable (Result<SeatSnapshot, any Error>) -> Void

    private enum Turn {
        /// Run the next check and hand its result to these callers too.
        case check(for: [Waiter])
        case served(Result<SeatSnapshot, any Error>)
    }

    private enum Waiter {
        case task(CheckedContinuation<Turn, Never>)
        case callback(Reply)

        func serve(_ result: Result<SeatSnapshot, any Error>) {
            switch self {
            case .task(let continuation): continuation.resume(returning: .served(result))
            case .callback(let reply): reply(result)
            }
        }
    }

    private struct Slot {
        var snapshot: SeatSnapshot?
        var checking = false
        /// Callers that arrived during the running check; the next check is theirs.
        var waiting: [Waiter] = []
    }

    /// A check for callers without a task of their own.
    private struct Round: Sendable {
        let showId: UUID
        let callers: [Waiter]
    }

    /// Shows kept before the idle ones are forgotten.
    public static let capacity = 5_000

    private let stores: any LiveSeatStore
    private let clock: any BookingClock
    private let slots = Mutex<[UUID: Slot]>([:])
    private let rounds: (stream: AsyncStream<Round>, continuation: AsyncStream<Round>.Continuation)

    public init(stores: any LiveSeatStore, clock: any BookingClock) {
        self.stores = stores
        self.clock = clock
        self.rounds = AsyncStream.makeStream(of: Round.self)
    }

    public func current(_ showId: UUID) async throws -> SeatSnapshot {
        let turn: Turn = await withCheckedContinuation { continuation in
            if join(showId, as: .task(continuation)) { continuation.resume(returning: .check(for: [])) }
        }
        switch turn {
        case .served(let result):
            return try result.get()
        case .check(let callers):
            let result = await checked(showId)
            if case .failure = result, Task.isCancelled, !callers.isEmpty {
                // This caller gave up (its task was cancelled) and its check failed with it: that failure is not the
                // others', so one of them checks for the rest.
                assign(showId, to: callers)
                return try result.get()
            }
            serve(showId, callers, result)
            return try result.get()
        }
    }

    /// Like `current(_:)`, for a caller without a task: `reply` is called once, on whichever thread ran the check.
    public func current(_ showId: UUID, reply: @escaping Reply) {
        if join(showId, as: .callback(reply)) { rounds.continuation.yield(Round(showId: showId, callers: [.callback(reply)])) }
    }

    /// Runs the checks of callers without a task until cancelled.
    public func runChecks() async {
        await withDiscardingTaskGroup { group in
            for await round in rounds.stream {
                group.addTask { self.serve(round.showId, round.callers, await self.checked(round.showId)) }
            }
        }
    }

    /// Queues `waiter` behind a running check of the show; true when none runs and the caller is to start one.
    private func join(_ showId: UUID, as waiter: Waiter) -> Bool {
        slots.withLock { slots in
            if slots[showId]?.checking == true {
                slots[showId]!.waiting.append(waiter)
                return false
            }
            if slots[showId] == nil, slots.count >= Self.capacity {
                slots = slots.filter { $0.value.checking }
            }
            slots[showId, default: Slot()].checking = true
            return true
        }
    }

    /// Gives the next check to a caller in a task if there is one, else to `runChecks()`.
    private func assign(_ showId: UUID, to callers: [Waiter]) {
        if let index = callers.firstIndex(where: { if case .task = $0 { true } else { false } }), case .task(let checker) = callers[index] {
            var others = callers
            others.remove(at: index)
            checker.resume(returning: .check(for: others))
        } else {
            rounds.continuation.yield(Round(showId: showId, callers: callers))
        }
    }

    /// Answers the callers of a check, keeps its result and passes the next check to the callers that queued meanwhile.
    private func serve(_ showId: UUID, _ callers: [Waiter], _ result: Result<SeatSnapshot, any Error>) {
        for caller in callers { caller.serve(result) }
        let next: [Waiter] = slots.withLock { slots in
            guard var slot = slots[showId] else { return [] }
            if case .success(let snapshot) = result { slot.snapshot = snapshot }
            let next = slot.waiting
            slot.waiting = []
            slot.checking = !next.isEmpty
            slots[showId] = slot
            return next
        }
        if !next.isEmpty { assign(showId, to: next) }
    }

    private func checked(_ showId: UUID) async -> Result<SeatSnapshot, any Error> {
        do {
            return .success(try await check(showId))
        } catch {
            return .failure(error)
        }
    }

    private func check(_ showId: UUID) async throws -> SeatSnapshot {
        let now = clock.now()
        // A kept snapshot whose holds have all stayed live is reused while the stamp stands.
        let kept = slots.withLock { $0[showId]?.snapshot }.flatMap { now < $0.validUntil ? $0 : nil }
        guard let state = try await stores.seatMapRead(showId: showId, unless: kept?.stamp) else { throw HoldfastError.notFound("Show") }
        guard let (show, claims) = state.changed else { return kept! }
        return SeatSnapshot(stamp: state.stamp, show: show, claims: claims, now: now)
    }
}
