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
    /// When the stamp check this snapshot answered started: every claim committed before then is in it.
    public private(set) var checkedSince: ContinuousClock.Instant
    private let seatIds: Set<String>
    private let claimsBySeat: [String: SeatClaim]

    init(stamp: SeatMapStamp, show: Show, claims: [SeatClaim], now: Date, checkedSince: ContinuousClock.Instant) {
        let live = claims.filter { $0.isLive(at: now) }
        self.stamp = stamp
        self.show = show
        self.claims = claims
        self.holders = Set(live.filter { $0.stage != .booked }.map(\.userId))
        self.validUntil = live.compactMap(\.expiresAt).min() ?? .distantFuture
        self.checkedSince = checkedSince
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

    /// The same snapshot, confirmed by a stamp check that started at `instant`.
    func confirmed(since instant: ContinuousClock.Instant) -> SeatSnapshot {
        var confirmed = self
        confirmed.checkedSince = instant
        return confirmed
    }
}

/// Shows and their claims kept in memory, per show, and never handed out stale: every caller gets a snapshot
/// from a stamp check (`SeatMapStamp`, one small read) that started after the caller asked, so a seat taken
/// anywhere — this instance, another one, the sweeper — is in the next snapshot. Callers that ask together
/// share one check: while a check runs, newcomers queue, and the next check serves them all, so a crowd on one
/// show costs one query per round trip instead of one per caller. The show and its claims are read again only
/// when the stamp moved or a hold in them lapsed.
///
/// A buyer choosing again after losing seats needs no such check: `latest(_:)` answers the newest kept snapshot at
/// once, and `claimedSince(_:except:)` the seats this instance claimed since its check started (`noteClaimed`), so
/// the choice is as good as a fresh one for this instance's own sales; what other instances took meanwhile the
/// write refuses, as it judges every claim.
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
        /// Claims this instance committed since the kept snapshot's check started.
        var claimed: [Claimed] = []
    }

    private struct Claimed {
        let at: ContinuousClock.Instant
        let seatIds: [String]
        let userId: String
    }

    /// Claims noted per show at most, the oldest forgotten first (they only steer a choice: the write judges it).
    static let claimedCapacity = 10_000

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

    /// Like `current(_:)` for a caller that arrived at `arrival` (nil: now): the kept snapshot when a check that
    /// started since then already made it (the server's fast lane checked the same request), else a check's.
    public func current(_ showId: UUID, arrivedAt arrival: ContinuousClock.Instant?) async throws -> SeatSnapshot {
        if let arrival, let kept = latest(showId), kept.checkedSince >= arrival { return kept }
        return try await current(showId)
    }

    /// The newest snapshot of the show kept on this instance, without a check: it may be older than the caller.
    public func latest(_ showId: UUID) -> SeatSnapshot? {
        slots.withLock { $0[showId]?.snapshot }
    }

    /// Notes that `userId`'s claim on `seatIds` committed, for `claimedSince(_:except:)`.
    public func noteClaimed(_ seatIds: [String], of showId: UUID, by userId: String) {
        let claimed = Claimed(at: .now, seatIds: seatIds, userId: userId)
        slots.withLock { slots in
            // Without a slot no check runs and none is kept: the next one starts after this claim committed.
            guard slots[showId] != nil else { return }
            slots[showId]!.claimed.append(claimed)
            if slots[showId]!.claimed.count > Self.claimedCapacity { slots[showId]!.claimed.removeFirst() }
        }
    }

    /// Seats this instance claimed for buyers other than `userId` after `snapshot`'s check started (noted with
    /// `noteClaimed`): taken, though the snapshot may not show them.
    public func claimedSince(_ snapshot: SeatSnapshot, except userId: String) -> Set<String> {
        slots.withLock { slots in
            var seats = Set<String>()
            for claimed in slots[snapshot.show.showId]?.claimed ?? [] where claimed.at >= snapshot.checkedSince && claimed.userId != userId {
                seats.formUnion(claimed.seatIds)
            }
            return seats
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

    /// Keeps a check's result, answers its callers and passes the next check to the callers that queued meanwhile.
    /// The result is kept before they are answered: a caller may go on to ask for it (`current(_:arrivedAt:)`) on
    /// another thread at once.
    private func serve(_ showId: UUID, _ callers: [Waiter], _ result: Result<SeatSnapshot, any Error>) {
        let next: [Waiter] = slots.withLock { slots in
            guard var slot = slots[showId] else { return [] }
            if case .success(let snapshot) = result {
                slot.snapshot = snapshot
                // What committed before the check started is in the snapshot.
                slot.claimed.removeAll { $0.at < snapshot.checkedSince }
            }
            let next = slot.waiting
            slot.waiting = []
            slot.checking = !next.isEmpty
            slots[showId] = slot
            return next
        }
        for caller in callers { caller.serve(result) }
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
        let started = ContinuousClock.now
        let now = clock.now()
        // A kept snapshot whose holds have all stayed live is reused while the stamp stands.
        let kept = slots.withLock { $0[showId]?.snapshot }.flatMap { now < $0.validUntil ? $0 : nil }
        guard let state = try await stores.seatMapRead(showId: showId, unless: kept?.stamp) else { throw HoldfastError.notFound("Show") }
        guard let (show, claims) = state.changed else { return kept!.confirmed(since: started) }
        return SeatSnapshot(stamp: state.stamp, show: show, claims: claims, now: now, checkedSince: started)
    }
}
