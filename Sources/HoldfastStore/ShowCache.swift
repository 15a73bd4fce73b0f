import Foundation
import HoldfastCore
import Synchronization

/// Decoded shows by id and revision. A show's row is read again unless its revision — counted up by the
/// database on every change to the row — is known from elsewhere (a seat-map stamp); decoding it (the seat
/// layout's JSON, the costliest part of a hold's reads) is skipped while the revision is the one decoded.
public final class ShowCache: Sendable {
    private struct Kept {
        let revision: Int64
        let show: Show
    }

    /// Shows kept before the cache starts over.
    static let capacity = 10_000

    private let kept = Mutex<[UUID: Kept]>([:])

    public init() {}

    /// The show as of `revision`, when that is the revision decoded last.
    public func cached(_ showId: UUID, revision: Int64) -> Show? {
        kept.withLock { $0[showId] }.flatMap { $0.revision == revision ? $0.show : nil }
    }

    public func show(_ showId: UUID, revision: Int64, decode: () throws -> Show) throws -> Show {
        if let hit = cached(showId, revision: revision) { return hit }
        let show = try decode()
        kept.withLock { kept in
            if kept.count >= Self.capacity { kept.removeAll(keepingCapacity: true) }
            kept[showId] = Kept(revision: revision, show: show)
        }
        return show
    }
}
