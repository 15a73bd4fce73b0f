import Foundation
import HoldfastStore
import PostgresNIO

/// The seat-map read (`PostgresStore.seatMapRead`) as a statement prepared once per connection: it runs for every
/// seat-map check, and planning it anew each time cost PostgreSQL as much as running it. One statement, so one
/// round trip and one consistent snapshot: the stamp, joined with the show's claims only when it differs from
/// `known`.
struct SeatMapReadStatement: PostgresPreparedStatement {
    typealias Row = PostgresRandomAccessRow

    static let sql = """
        WITH stamp AS (
            SELECT s.revision, v.changed, v.total,
                   EXISTS (SELECT 1 FROM waiting_rooms w WHERE w.show_id = s.show_id) AS waiting_room
            FROM shows s,
                (SELECT COUNT(*) AS changed, COALESCE(SUM(version), 0)::bigint AS total FROM seat_versions WHERE show_id = $1) v
            WHERE s.show_id = $1)
        SELECT stamp.*, c.seat_id, c.user_id, c.stage, c.expires_at
        FROM stamp LEFT JOIN seat_claims c ON c.show_id = $1
            AND NOT (stamp.revision = $2 AND stamp.changed = $3 AND stamp.total = $4 AND stamp.waiting_room = $5)
        """

    let showId: UUID
    let known: SeatMapStamp?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(showId)
        bindings.append(known?.showRevision ?? -1)
        bindings.append(known?.changedSeats ?? -1)
        bindings.append(known?.versionSum ?? -1)
        bindings.append(known?.waitingRoom ?? false)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow {
        row.makeRandomAccess()
    }
}
