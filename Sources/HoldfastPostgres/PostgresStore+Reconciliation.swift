import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    /// Rooms each night should have sold, from the bookings holding rooms (one row per room type and night).
    static let expectedRoomNights = """
        WITH expected AS (
            SELECT b.room_type_id, d::date AS night, SUM(b.rooms)::int AS rooms
            FROM hotel_bookings b, generate_series(b.check_in, b.check_out - 1, interval '1 day') AS d
            WHERE b.status IN ('CONFIRMED', 'NEEDS_ATTENTION')
            GROUP BY b.room_type_id, d::date
        )
        """

    public func reconcileRoomNights(heal: Bool) async throws -> [ReconciliationCheck] {
        struct Finding: Sendable { let roomTypeId: UUID, night: String, sold: Int, expected: Int, hasRow: Bool }
        let (rows, bookingNights, findings) = try await transaction(limit: Self.jobDeadline) { connection in
            // One snapshot for every query of the check.
            try await connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger)
            let rows = try await connection.rows("SELECT COUNT(*)::int AS n FROM hotel_inventory", logger).first?.value("n", as: Int.self) ?? 0
            let bookingNights = try await connection.rows(
                """
                SELECT COALESCE(SUM(check_out - check_in), 0)::int AS n FROM hotel_bookings WHERE status IN ('CONFIRMED', 'NEEDS_ATTENTION')
                """, logger
            ).first?.value("n", as: Int.self) ?? 0
            let findings = try await connection.rows(
                """
                \(unescaped: Self.expectedRoomNights)
                SELECT COALESCE(i.room_type_id, e.room_type_id) AS room_type_id, COALESCE(i.night, e.night)::text AS night,
                       COALESCE(i.sold, 0) AS sold, COALESCE(e.rooms, 0) AS expected, i.room_type_id IS NOT NULL AS has_row
                FROM hotel_inventory i FULL JOIN expected e ON e.room_type_id = i.room_type_id AND e.night = i.night
                WHERE i.room_type_id IS NULL OR i.sold <> COALESCE(e.rooms, 0)
                """, logger
            ).map {
                Finding(
                    roomTypeId: try $0.value("room_type_id"), night: try $0.value("night"), sold: try $0.value("sold"),
                    expected: try $0.value("expected"), hasRow: try $0.value("has_row"))
            }
            return (rows, bookingNights, findings)
        }
        var sold = ReconciliationCheck(name: "room nights: sold equals the rooms of their bookings", examined: rows)
        var missing = ReconciliationCheck(name: "room nights: every booked night has an inventory row", examined: bookingNights)
        for finding in findings {
            guard finding.hasRow else {
                missing.record("room type \(finding.roomTypeId) night \(finding.night): \(finding.expected) room(s) booked, no inventory row", fixed: false)
                continue
            }
            var repaired = false
            if heal {
                repaired = try await transaction { connection in
                    // Lock the row first: bookings touching it wait, and the recount below sees every one committed before.
                    try await connection.execute(
                        "SELECT 1 FROM hotel_inventory WHERE room_type_id = \(finding.roomTypeId) AND night = \(finding.night)::date FOR UPDATE", logger)
                    return try await !connection.rows(
                        """
                        UPDATE hotel_inventory SET sold = c.rooms, version = version + 1, sold_forced_at = GREATEST(COALESCE(sold_forced_at, now()) + interval '1 microsecond', now())
                        FROM (SELECT COALESCE(SUM(b.rooms), 0)::int AS rooms FROM hotel_bookings b
                              WHERE b.room_type_id = \(finding.roomTypeId) AND b.status IN ('CONFIRMED', 'NEEDS_ATTENTION')
                                AND b.check_in <= \(finding.night)::date AND b.check_out > \(finding.night)::date) AS c
                        WHERE room_type_id = \(finding.roomTypeId) AND night = \(finding.night)::date AND sold <> c.rooms
                        RETURNING 1 AS healed
                        """, logger
                    ).isEmpty
                }
            }
            sold.record("room type \(finding.roomTypeId) night \(finding.night): sold \(finding.sold), bookings hold \(finding.expected)", fixed: repaired)
        }
        return [sold, missing]
    }

    public func reconcileSeats(heal: Bool) async throws -> [ReconciliationCheck] {
        struct Unbooked: Sendable { let orderId: UUID, showId: UUID, seatId: String, claimOrder: UUID?, claimStage: String? }
        struct Orphan: Sendable { let showId: UUID, seatId: String, orderId: UUID }
        let snapshot = try await transaction(limit: Self.jobDeadline) { connection in
            try await connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger)
            let confirmedSeats = try await connection.rows(
                "SELECT COALESCE(SUM(cardinality(seat_ids)), 0)::int AS n FROM orders WHERE status = 'CONFIRMED'", logger
            ).first?.value("n", as: Int.self) ?? 0
            let unbooked = try await connection.rows(
                """
                SELECT o.order_id, o.show_id, s.seat_id, c.order_id AS claim_order, c.stage AS claim_stage
                FROM orders o CROSS JOIN LATERAL unnest(o.seat_ids) AS s(seat_id)
                LEFT JOIN seat_claims c ON c.show_id = o.show_id AND c.seat_id = s.seat_id
                WHERE o.status = 'CONFIRMED' AND (c.stage IS DISTINCT FROM 'BOOKED' OR c.order_id IS DISTINCT FROM o.order_id)
                """, logger
            ).map {
                Unbooked(
                    orderId: try $0.value("order_id"), showId: try $0.value("show_id"), seatId: try $0.value("seat_id"),
                    claimOrder: try $0.value("claim_order"), claimStage: try $0.value("claim_stage"))
            }
            let bookedClaims = try await connection.rows("SELECT COUNT(*)::int AS n FROM seat_claims WHERE stage = 'BOOKED'", logger)
                .first?.value("n", as: Int.self) ?? 0
            let orphans = try await connection.rows(
                """
                SELECT c.show_id, c.seat_id, c.order_id FROM seat_claims c LEFT JOIN orders o ON o.order_id = c.order_id
                WHERE c.stage = 'BOOKED' AND o.status IS DISTINCT FROM 'CONFIRMED'
                """, logger
            ).map { Orphan(showId: try $0.value("show_id"), seatId: try $0.value("seat_id"), orderId: try $0.value("order_id")) }
            let twice = try await connection.rows(
                """
                SELECT o.show_id::text AS show_id, s.seat_id, string_agg(o.order_id::text, ', ') AS orders
                FROM orders o CROSS JOIN LATERAL unnest(o.seat_ids) AS s(seat_id) WHERE o.status = 'CONFIRMED'
                GROUP BY o.show_id, s.seat_id HAVING COUNT(*) > 1
                """, logger
            ).map { "show \(try $0.value("show_id", as: String.self)) seat \(try $0.value("seat_id", as: String.self)): confirmed orders \(try $0.value("orders", as: String.self))" }
            return (confirmedSeats, unbooked, bookedClaims, orphans, twice)
        }
        var booked = ReconciliationCheck(name: "seats: every CONFIRMED order's seats are BOOKED for it", examined: snapshot.0)
        for finding in snapshot.1 {
            // A seat booked for another order is a double sale: only a person can settle it.
            var repaired = false
            if heal, finding.claimStage != "BOOKED" {
                repaired = try await transaction { connection in
                    guard let order = try await connection.rows(
                        "SELECT user_id, hold_id FROM orders WHERE order_id = \(finding.orderId) AND status = 'CONFIRMED' FOR UPDATE", logger
                    ).first else { return false }
                    let userId = try order.value("user_id", as: String.self), holdId = try order.value("hold_id", as: UUID.self)
                    return try await !connection.rows(
                        """
                        INSERT INTO seat_claims (show_id, seat_id, user_id, stage, hold_id, order_id, expires_at)
                        VALUES (\(finding.showId), \(finding.seatId), \(userId), 'BOOKED', \(holdId), \(finding.orderId), NULL)
                        ON CONFLICT (show_id, seat_id) DO UPDATE SET user_id = EXCLUDED.user_id, stage = 'BOOKED', hold_id = EXCLUDED.hold_id,
                            order_id = EXCLUDED.order_id, expires_at = NULL
                        WHERE seat_claims.stage <> 'BOOKED'
                        RETURNING 1 AS healed
                        """, logger
                    ).isEmpty
                }
            }
            let claim = "\(finding.claimStage ?? "missing") \(finding.claimOrder?.uuidString ?? "")"
            booked.record("order \(finding.orderId) seat \(finding.seatId): claim \(claim)", fixed: repaired)
        }
        var orphans = ReconciliationCheck(name: "seats: every BOOKED seat belongs to a CONFIRMED order", examined: snapshot.2)
        for finding in snapshot.3 {
            var repaired = false
            if heal {
                repaired = try await statement { connection in
                    try await !connection.rows(
                        """
                        DELETE FROM seat_claims WHERE show_id = \(finding.showId) AND seat_id = \(finding.seatId) AND stage = 'BOOKED'
                          AND order_id = \(finding.orderId)
                          AND NOT EXISTS (SELECT 1 FROM orders WHERE order_id = \(finding.orderId) AND status = 'CONFIRMED')
                        RETURNING 1 AS healed
                        """, logger
                    ).isEmpty
                }
            }
            orphans.record("show \(finding.showId) seat \(finding.seatId): booked for order \(finding.orderId), which is not confirmed", fixed: repaired)
        }
        var twice = ReconciliationCheck(name: "seats: no seat in two CONFIRMED orders", examined: snapshot.0)
        for finding in snapshot.4 { twice.record(finding, fixed: false) }
        return [booked, orphans, twice]
    }

    public func saveReconciliationReport(_ report: ReconciliationReport) async throws {
        let json = try StoredJSON.encode(report)
        try await statement { connection in
            try await connection.execute(
                """
                INSERT INTO reconciliation_reports (report_id, started_at, finished_at, report)
                VALUES (\(report.reportId), \(report.startedAt), \(report.finishedAt), \(json)::jsonb)
                """, logger)
        }
    }

    public func reconciliationReports(limit: Int) async throws -> [ReconciliationReport] {
        try await read { connection in
            try await connection.rows("SELECT report::text AS report FROM reconciliation_reports ORDER BY started_at DESC LIMIT \(limit)", logger)
                .map { try StoredJSON.decode(ReconciliationReport.self, try $0.value("report", as: String.self)) }
        }
    }

    public func driftSold(rows: Int) async throws -> Int {
        try await statement { connection in
            try await connection.rows(
                """
                UPDATE hotel_inventory SET sold = sold + 1, sold_forced_at = GREATEST(COALESCE(sold_forced_at, now()) + interval '1 microsecond', now())
                WHERE (room_type_id, night) IN (SELECT room_type_id, night FROM hotel_inventory ORDER BY random() LIMIT \(rows))
                RETURNING 1 AS drifted
                """, logger
            ).count
        }
    }

    public func claimJob(_ name: String, owner: String, until: Date, now: Date) async throws -> Bool {
        try await statement { connection in
            try await !connection.rows(
                """
                INSERT INTO job_leases (name, owner, lease_until) VALUES (\(name), \(owner), \(until))
                ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
                WHERE job_leases.lease_until <= \(now) OR job_leases.owner = EXCLUDED.owner
                RETURNING 1 AS claimed
                """, logger
            ).isEmpty
        }
    }

    public func importHotelBookings(_ bookings: [HotelBooking]) async throws {
        guard !bookings.isEmpty else { return }
        try await transaction(limit: Self.jobDeadline) { connection in
            try await connection.execute(
                """
                INSERT INTO hotel_bookings (booking_id, user_id, hotel_id, room_type_id, check_in, check_out, rooms, guests, guest_name, guest_email,
                                            amount, status, created_at)
                SELECT * FROM unnest(\(bookings.map(\.bookingId))::uuid[], \(bookings.map(\.userId))::text[], \(bookings.map(\.hotelId))::uuid[],
                    \(bookings.map(\.roomTypeId))::uuid[], \(bookings.map(\.checkIn.description))::date[], \(bookings.map(\.checkOut.description))::date[],
                    \(bookings.map(\.rooms))::int[], \(bookings.map(\.guests))::int[], \(bookings.map(\.guest.name))::text[],
                    \(bookings.map(\.guest.email))::text[], \(bookings.map(\.amount.minorUnits))::bigint[], \(bookings.map(\.status.rawValue))::text[],
                    \(bookings.map(\.createdAt))::timestamptz[])
                """, logger)
            let holding = bookings.filter(\.holdsRooms)
            try await connection.execute(
                """
                UPDATE hotel_inventory i SET sold = i.sold + x.rooms, version = i.version + 1, sold_forced_at = GREATEST(COALESCE(sold_forced_at, now()) + interval '1 microsecond', now())
                FROM (SELECT b.room_type_id, d::date AS night, SUM(b.rooms)::int AS rooms
                      FROM unnest(\(holding.map(\.roomTypeId))::uuid[], \(holding.map(\.checkIn.description))::date[],
                                  \(holding.map(\.checkOut.description))::date[], \(holding.map(\.rooms))::int[]) AS b(room_type_id, check_in, check_out, rooms),
                           generate_series(b.check_in, b.check_out - 1, interval '1 day') AS d
                      GROUP BY b.room_type_id, d::date) AS x
                WHERE i.room_type_id = x.room_type_id AND i.night = x.night
                """, logger)
        }
    }
}
