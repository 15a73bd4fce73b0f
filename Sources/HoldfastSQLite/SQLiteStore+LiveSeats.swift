import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func seatVersions(showId: UUID) async throws -> [SeatChange] {
        try await read { db in
            try Row.fetchAll(db, cached: "SELECT * FROM seat_versions WHERE show_id = ? ORDER BY seat_id", arguments: [showId.uuidString])
                .map(Self.seatChange)
        }
    }

    public func seatChanges(after version: Int64, limit: Int) async throws -> [SeatChange] {
        try await read { db in
            try Row.fetchAll(db, cached: "SELECT * FROM seat_versions WHERE version > ? ORDER BY version LIMIT ?", arguments: [version, limit])
                .map(Self.seatChange)
        }
    }

    public func latestSeatVersion() async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, cached: "SELECT value FROM seat_version_counter WHERE id = 1") ?? 0 }
    }

    public func seatMapRead(showId: UUID, unless known: SeatMapStamp?) async throws -> SeatMapRead? {
        try await read { db in
            guard let stamp = try Self.stamp(db, showId) else { return nil }
            guard stamp != known else { return SeatMapRead(stamp: stamp, changed: nil) }
            guard let show = try shows.cached(showId, revision: stamp.showRevision) ?? showRow(db, showId) else { return nil }
            return SeatMapRead(stamp: stamp, changed: (show, try Self.claims(db, showId)))
        }
    }

    static func stamp(_ db: Database, _ showId: UUID) throws -> SeatMapStamp? {
        try Row.fetchOne(
            db,
            cached: """
                SELECT s.revision, v.changed, v.total, EXISTS (SELECT 1 FROM waiting_rooms w WHERE w.show_id = s.show_id) AS waiting_room
                FROM shows s,
                    (SELECT COUNT(*) AS changed, COALESCE(SUM(version), 0) AS total FROM seat_versions WHERE show_id = ?1) v
                WHERE s.show_id = ?1
                """,
            arguments: [showId.uuidString]
        ).map { row in
            SeatMapStamp(showRevision: row["revision"], changedSeats: row["changed"], versionSum: row["total"], waitingRoom: row["waiting_room"])
        }
    }

    /// The server polls `seatChanges(after:)` instead: one writer commits versions in order.
    public func followSeatChanges(_ received: @escaping @Sendable (SeatChange) async -> Void) async throws {}

    static func seatChange(_ row: Row) -> SeatChange {
        SeatChange(
            showId: row.uuid("show_id"), seatId: row["seat_id"], state: SeatState(rawValue: row["state"]) ?? .available, version: row["version"],
            expiresAt: row.optionalDate("expires_at"), userId: row["user_id"])
    }
}
