import Foundation
import PostgresNIO

/// The one conditional write behind every claim: HELD rows for a hold (`orderId` nil), or BOOKED rows for an
/// order paid after it lapsed. A seat is taken when it has no row, when its row has lapsed (not booked and
/// expired), or when this claimant already has it. Seats are written in sorted order so concurrent claims
/// lock rows in the same order. The statement answers the seats it took (`seat_id`).
struct ClaimWrite: Sendable {
    let showId: UUID
    let seatIds: [String]
    let userId: String
    let holdId: UUID
    let orderId: UUID?
    let expiresAt: Date?
    let now: Date

    /// A hold's claim takes over its own rows.
    static let ownHold = "seat_claims.hold_id = EXCLUDED.hold_id AND seat_claims.stage = 'HELD'"
}

extension PostgresQuery.StringInterpolation {
    /// The claim's statement; after a data-modifying `WITH` it shares one round trip with what the claim stores.
    /// With `unless`, the name of a `WITH` query, it claims nothing when that query has a row.
    mutating func appendInterpolation(_ claim: ClaimWrite, unless guardQuery: String? = nil) {
        let stage = claim.orderId == nil ? "HELD" : "BOOKED"
        let ownClaim = claim.orderId == nil ? ClaimWrite.ownHold : "seat_claims.order_id = EXCLUDED.order_id AND seat_claims.stage = 'PENDING'"
        appendLiteral("INSERT INTO seat_claims (show_id, seat_id, user_id, stage, hold_id, order_id, expires_at) SELECT ")
        appendInterpolation(claim.showId)
        appendLiteral(", seat, ")
        appendInterpolation(claim.userId)
        appendLiteral(", ")
        appendInterpolation(stage)
        appendLiteral(", ")
        appendInterpolation(claim.holdId)
        appendLiteral(", ")
        appendInterpolation(claim.orderId)
        appendLiteral(", ")
        appendInterpolation(claim.expiresAt)
        appendLiteral(" FROM unnest(")
        appendInterpolation(claim.seatIds)
        appendLiteral("::text[]) AS seat")
        if let guardQuery { appendLiteral(" WHERE NOT EXISTS (SELECT 1 FROM \(guardQuery))") }
        appendLiteral(" ORDER BY seat ")
        appendInterpolation(takingOver: ownClaim, lapsedAt: claim.now)
    }

    /// How every claim's insert ends: a seat already in `seat_claims` is taken only when the row is the claimant's
    /// own (`ownClaim`, a condition on `seat_claims` and `EXCLUDED`) or has lapsed (not booked, expired at `now`).
    /// The statement answers the seats it took (`seat_id`).
    mutating func appendInterpolation(takingOver ownClaim: String, lapsedAt now: Date) {
        appendLiteral(
            """
            ON CONFLICT (show_id, seat_id) DO UPDATE SET
                user_id = EXCLUDED.user_id, stage = EXCLUDED.stage, hold_id = EXCLUDED.hold_id, order_id = EXCLUDED.order_id,
                expires_at = EXCLUDED.expires_at
            WHERE (\(ownClaim))
               OR (seat_claims.stage <> 'BOOKED' AND seat_claims.expires_at <=
            """)
        appendInterpolation(now)
        appendLiteral(") RETURNING seat_id")
    }
}

extension PostgresQuery.StringInterpolation {
    /// The closing `SELECT` of a statement guarded by the `WITH` query `guardQuery`: whether it found its row (as
    /// `answer`), and `holdfast_require_seats`, which aborts the statement with all it wrote when the row was there
    /// but `taken` (a `WITH` query answering `seat_id`) lacks any of `seatIds`.
    mutating func appendInterpolation(answering answer: String, when guardQuery: String, requiring seatIds: [String], from taken: String) {
        appendLiteral(
            "SELECT EXISTS (SELECT 1 FROM \(guardQuery)) AS \(answer), holdfast_require_seats(CASE WHEN EXISTS (SELECT 1 FROM \(guardQuery)) THEN ")
        appendInterpolation(seatIds)
        appendLiteral("::text[] ELSE '{}'::text[] END, ARRAY(SELECT seat_id FROM \(taken)))")
    }
}
