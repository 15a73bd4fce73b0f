import Foundation
import HoldfastCore
import HoldfastStore
import NIOCore
import Synchronization

/// Seat maps kept built and encoded, per show, and never served stale: every read is answered from a stamp
/// check (`SeatMapStamp`, one small read) that started after the read arrived, so a seat taken anywhere — this
/// instance, another one, the sweeper — shows in the next read. Reads that arrive together share one check:
/// while a check runs, newcomers queue, and the next check serves them all, so a crowd on one show costs one
/// query per round trip instead of one per reader. The map is rebuilt only when the stamp moved or a hold in
/// it lapsed; readers without a claim on the show get the same encoded bytes.
final class SeatMapCache: Sendable {
    struct Entry: Sendable {
        let stamp: SeatMapStamp
        let show: Show
        let claims: [SeatClaim]
        /// The map as anyone without a hold on the show sees it.
        let shared: ByteBuffer
        /// Callers with held or unpaid seats here: their copy marks those seats as theirs.
        let holders: Set<String>
        /// When the first live hold in the map lapses; the map is rebuilt from then on.
        let validUntil: Date
    }

    private enum Turn {
        /// Run the next check and hand its result to these readers too.
        case check(for: [CheckedContinuation<Turn, Never>])
        case served(Result<Entry, any Error>)
    }

    private struct Slot {
        var entry: Entry?
        var checking = false
        /// Readers that arrived during the running check; the next check is theirs.
        var waiting: [CheckedContinuation<Turn, Never>] = []
    }

    /// Shows kept before the cache forgets the idle ones.
    static let capacity = 5_000

    private let stores: any HoldfastStores
    private let clock: any BookingClock
    private let slots = Mutex<[UUID: Slot]>([:])

    init(stores: any HoldfastStores, clock: any BookingClock) {
        self.stores = stores
        self.clock = clock
    }

    /// The show's seat map as JSON, as `caller` sees it.
    func reply(showId: UUID, caller: String?) async throws -> ByteBuffer {
        let entry = try await current(showId)
        guard let caller, entry.holders.contains(caller) else { return entry.shared }
        return try Self.encode(SeatMap(show: entry.show, claims: entry.claims, now: clock.now(), caller: caller))
    }

    func current(_ showId: UUID) async throws -> Entry {
        let turn: Turn = await withCheckedContinuation { continuation in
            let first = slots.withLock { slots in
                if slots[showId]?.checking == true {
                    slots[showId]!.waiting.append(continuation)
                    return false
                }
                if slots[showId] == nil, slots.count >= Self.capacity {
                    slots = slots.filter { $0.value.checking }
                }
                slots[showId, default: Slot()].checking = true
                return true
            }
            if first { continuation.resume(returning: .check(for: [])) }
        }
        switch turn {
        case .served(let result):
            return try result.get()
        case .check(let readers):
            let result: Result<Entry, any Error>
            do {
                result = .success(try await check(showId))
            } catch {
                result = .failure(error)
            }
            for reader in readers { reader.resume(returning: .served(result)) }
            handOver(showId, after: result)
            return try result.get()
        }
    }

    /// Keeps the result and passes the next check to one of the readers that queued meanwhile.
    private func handOver(_ showId: UUID, after result: Result<Entry, any Error>) {
        let next: [CheckedContinuation<Turn, Never>] = slots.withLock { slots in
            guard var slot = slots[showId] else { return [] }
            if case .success(let entry) = result { slot.entry = entry }
            let next = slot.waiting
            slot.waiting = []
            slot.checking = !next.isEmpty
            slots[showId] = slot
            return next
        }
        guard let checker = next.first else { return }
        checker.resume(returning: .check(for: Array(next.dropFirst())))
    }

    private func check(_ showId: UUID) async throws -> Entry {
        let now = clock.now()
        guard let stamp = try await stores.seatMapStamp(showId: showId) else { throw HoldfastError.notFound("Show") }
        if let kept = slots.withLock({ $0[showId]?.entry }), kept.stamp == stamp, now < kept.validUntil { return kept }
        // Read after the stamp: the map is at least as new as the stamp it is filed under.
        guard let show = try await stores.show(showId) else { throw HoldfastError.notFound("Show") }
        let claims = try await stores.seatClaims(showId: showId)
        let live = claims.filter { $0.isLive(at: now) }
        return Entry(
            stamp: stamp, show: show, claims: claims,
            shared: try Self.encode(SeatMap(show: show, claims: claims, now: now, caller: nil)),
            holders: Set(live.filter { $0.stage != .booked }.map(\.userId)),
            validUntil: live.compactMap(\.expiresAt).min() ?? .distantFuture)
    }

    static func encode(_ map: SeatMap) throws -> ByteBuffer {
        ByteBuffer(data: try JSON.encoder().encode(SeatMapResponse(map)))
    }
}
