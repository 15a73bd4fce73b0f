import Foundation
import HoldfastCore
import HoldfastStore
import NIOCore
import Synchronization

/// Seat maps as JSON, encoded once per snapshot (`SeatSnapshots`, which are never stale): readers without a
/// claim on the show get the same bytes; holders get their own copy with their seats marked.
final class SeatMapCache: Sendable {
    private struct Encoded {
        let stamp: SeatMapStamp
        let validUntil: Date
        let body: ByteBuffer
    }

    let snapshots: SeatSnapshots
    private let clock: any BookingClock
    private let encoded = Mutex<[UUID: Encoded]>([:])

    init(snapshots: SeatSnapshots, clock: any BookingClock) {
        self.snapshots = snapshots
        self.clock = clock
    }

    /// The show's seat map as JSON, as `caller` sees it.
    func reply(showId: UUID, caller: String?) async throws -> ByteBuffer {
        let snapshot = try await snapshots.current(showId)
        if let caller, snapshot.holders.contains(caller) {
            return try Self.encode(snapshot.seatMap(at: clock.now(), caller: caller))
        }
        return try publicBody(snapshot)
    }

    /// The seat map of `snapshot` as anyone without seats in it sees it.
    func publicBody(_ snapshot: SeatSnapshot) throws -> ByteBuffer {
        let showId = snapshot.show.showId
        // Same stamp and same lapse time: the same snapshot, so the same map.
        if let kept = encoded.withLock({ $0[showId] }), kept.stamp == snapshot.stamp, kept.validUntil == snapshot.validUntil {
            return kept.body
        }
        let body = try Self.encode(snapshot.seatMap(at: clock.now(), caller: nil))
        encoded.withLock { encoded in
            if encoded.count >= SeatSnapshots.capacity { encoded.removeAll(keepingCapacity: true) }
            encoded[showId] = Encoded(stamp: snapshot.stamp, validUntil: snapshot.validUntil, body: body)
        }
        return body
    }

    static func encode(_ map: SeatMap) throws -> ByteBuffer {
        ByteBuffer(data: try JSON.encoder().encode(SeatMapResponse(map)))
    }
}
