import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func seatClaims(showId: UUID) async throws -> [SeatClaim] {
        try await read { db in try Self.claims(db, showId) }
    }

    static func claims(_ db: Database, _ showId: UUID) throws -> [SeatClaim] {
        // Read in place, by position: a busy show's claims are read again after every change to it, and copying
        // each row and finding its columns by name was most of that read (spread, perf).
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT seat_id, user_id, stage, expires_at FROM seat_claims WHERE show_id = ?"),
            arguments: [showId.uuidString])
        var claims: [SeatClaim] = []
        while let row = try rows.next() {
            claims.append(
                SeatClaim(
                    seatId: row[0], userId: row[1], stage: SeatClaim.Stage(rawValue: row[2])!,
                    expiresAt: (row[3] as Int64?).map(SQLiteColumns.date)))
        }
        return claims
    }

    /// The claim primitive: one conditional upsert for all `seatIds`. A seat is taken when it has no
    /// row, when its row has lapsed (not booked and expired), or when this hold already has it.
    /// Throws `seatsUnavailable` naming every seat it could not take; the caller's transaction then
    /// rolls back, so nothing is left behind.
    static func claimSeats(
        _ db: Database, showId: UUID, seatIds: [String], userId: String, holdId: UUID, expiresAt: Date, now: Date
    ) throws {
        let claimed = try upsertClaims(db, showId: showId, seatIds: seatIds, userId: userId, holdId: holdId, orderId: nil, expiresAt: expiresAt, now: now)
        let missing = seatIds.filter { !claimed.contains($0) }
        if !missing.isEmpty { throw HoldfastError.seatsUnavailable(missing) }
    }

    /// The one conditional write behind every claim: HELD rows for a hold (`orderId` nil), or BOOKED rows for an
    /// order paid after it lapsed, taking seats that are free, lapsed, or already the claimant's. Answers the
    /// seats it took.
    static func upsertClaims(
        _ db: Database, showId: UUID, seatIds: [String], userId: String, holdId: UUID, orderId: UUID?, expiresAt: Date?, now: Date
    ) throws -> Set<String> {
        let stage = orderId == nil ? "HELD" : "BOOKED"
        let values = Array(repeating: "(?, ?, ?, '\(stage)', ?, ?, ?)", count: seatIds.count).joined(separator: ", ")
        var arguments = StatementArguments()
        let expiry = expiresAt.map(SQLiteColumns.millis)
        for seatId in seatIds {
            arguments += [showId.uuidString, seatId, userId, holdId.uuidString, orderId?.uuidString, expiry]
        }
        arguments += [SQLiteColumns.millis(now)]
        let ownClaim = orderId == nil
            ? "seat_claims.hold_id = excluded.hold_id AND seat_claims.stage = 'HELD'"
            : "seat_claims.order_id = excluded.order_id AND seat_claims.stage = 'PENDING'"
        return try String.fetchSet(
            db,
            cached: """
                INSERT INTO seat_claims (show_id, seat_id, user_id, stage, hold_id, order_id, expires_at)
                VALUES \(values)
                ON CONFLICT (show_id, seat_id) DO UPDATE SET
                    user_id = excluded.user_id, stage = excluded.stage, hold_id = excluded.hold_id, order_id = excluded.order_id,
                    expires_at = excluded.expires_at
                WHERE (\(ownClaim))
                   OR (seat_claims.stage <> 'BOOKED' AND seat_claims.expires_at <= ?)
                RETURNING seat_id
                """,
            arguments: arguments)
    }
}
