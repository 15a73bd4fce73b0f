import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    /// Rooms each night should have sold, from the bookings holding rooms (one row per room type and night).
    static let expectedRoomNights = """
        WITH RECURSIVE booked(room_type_id, night, check_out, rooms) AS (
            SELECT room_type_id, check_in, check_out, rooms FROM hotel_bookings WHERE status IN ('CONFIRMED', 'NEEDS_ATTENTION')
            UNION ALL
            SELECT room_type_id, date(night, '+1 day'), check_out, rooms FROM booked WHERE date(night, '+1 day') < check_out
        ),
        expected AS (SELECT room_type_id, night, SUM(rooms) AS rooms, COUNT(*) AS bookings FROM booked GROUP BY room_type_id, night)
        """

    public func reconcileRoomNights(heal: Bool) async throws -> [ReconciliationCheck] {
        struct Finding: Sendable { let roomTypeId: String, night: String, sold: Int, expected: Int, hasRow: Bool }
        let (rows, bookingNights, findings) = try await scan { db in
            let rows = try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM hotel_inventory") ?? 0
            let bookingNights = try Int.fetchOne(
                db,
                cached: """
                    SELECT COALESCE(SUM(julianday(check_out) - julianday(check_in)), 0) FROM hotel_bookings
                    WHERE status IN ('CONFIRMED', 'NEEDS_ATTENTION')
                    """) ?? 0
            let findings = try Row.fetchAll(
                db,
                cached: Self.expectedRoomNights + """
                    SELECT i.room_type_id, i.night, i.sold, COALESCE(e.rooms, 0) AS expected, 1 AS has_row
                    FROM hotel_inventory i LEFT JOIN expected e ON e.room_type_id = i.room_type_id AND e.night = i.night
                    WHERE i.sold <> COALESCE(e.rooms, 0)
                    UNION ALL
                    SELECT e.room_type_id, e.night, 0, e.rooms, 0 FROM expected e
                    WHERE NOT EXISTS (SELECT 1 FROM hotel_inventory i WHERE i.room_type_id = e.room_type_id AND i.night = e.night)
                    """
            ).map { Finding(roomTypeId: $0["room_type_id"], night: $0["night"], sold: $0["sold"], expected: $0["expected"], hasRow: $0["has_row"]) }
            return (rows, bookingNights, findings)
        }
        var sold = ReconciliationCheck(name: "room nights: sold equals the rooms of their bookings", examined: rows)
        var missing = ReconciliationCheck(name: "room nights: every booked night has an inventory row", examined: bookingNights)
        for finding in findings {
            let label = "room type \(finding.roomTypeId) night \(finding.night): sold \(finding.sold), bookings hold \(finding.expected)"
            guard finding.hasRow else {
                missing.record("room type \(finding.roomTypeId) night \(finding.night): \(finding.expected) room(s) booked, no inventory row", fixed: false)
                continue
            }
            var repaired = false
            if heal {
                repaired = try await write { db in
                    // Recounted inside the write: a booking committed since the snapshot is counted too.
                    try db.execute(
                        cached: """
                            UPDATE hotel_inventory SET sold = c.rooms, version = version + 1, sold_forced_at = max(COALESCE(sold_forced_at, 0) + 1, ?)
                            FROM (SELECT COALESCE(SUM(b.rooms), 0) AS rooms FROM hotel_bookings b
                                  WHERE b.room_type_id = ? AND b.status IN ('CONFIRMED', 'NEEDS_ATTENTION') AND b.check_in <= ? AND b.check_out > ?) AS c
                            WHERE room_type_id = ? AND night = ? AND sold <> c.rooms
                            """,
                        arguments: [
                            SQLiteColumns.millis(Date()), finding.roomTypeId, finding.night, finding.night, finding.roomTypeId, finding.night,
                        ])
                    return db.changesCount == 1
                }
            }
            sold.record(label, fixed: repaired)
        }
        return [sold, missing]
    }

    public func reconcileSeats(heal: Bool) async throws -> [ReconciliationCheck] {
        struct Unbooked: Sendable { let orderId: String, showId: String, seatId: String, claimOrder: String?, claimStage: String? }
        struct Orphan: Sendable { let showId: String, seatId: String, orderId: String }
        let snapshot = try await scan { db in
            let confirmedSeats = try Int.fetchOne(
                db, cached: "SELECT COUNT(*) FROM orders o, json_each(o.seat_ids) s WHERE o.status = 'CONFIRMED'") ?? 0
            let unbooked = try Row.fetchAll(
                db,
                cached: """
                    SELECT o.order_id, o.show_id, s.value AS seat_id, c.order_id AS claim_order, c.stage AS claim_stage
                    FROM orders o JOIN json_each(o.seat_ids) s
                    LEFT JOIN seat_claims c ON c.show_id = o.show_id AND c.seat_id = s.value
                    WHERE o.status = 'CONFIRMED' AND (c.stage IS NOT 'BOOKED' OR c.order_id IS NOT o.order_id)
                    """
            ).map { Unbooked(orderId: $0["order_id"], showId: $0["show_id"], seatId: $0["seat_id"], claimOrder: $0["claim_order"], claimStage: $0["claim_stage"]) }
            let bookedClaims = try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM seat_claims WHERE stage = 'BOOKED'") ?? 0
            let orphans = try Row.fetchAll(
                db,
                cached: """
                    SELECT c.show_id, c.seat_id, c.order_id FROM seat_claims c LEFT JOIN orders o ON o.order_id = c.order_id
                    WHERE c.stage = 'BOOKED' AND (o.status IS NULL OR o.status <> 'CONFIRMED')
                    """
            ).map { Orphan(showId: $0["show_id"], seatId: $0["seat_id"], orderId: $0["order_id"]) }
            let twice = try Row.fetchAll(
                db,
                cached: """
                    SELECT o.show_id, s.value AS seat_id, group_concat(o.order_id, ', ') AS orders
                    FROM orders o JOIN json_each(o.seat_ids) s WHERE o.status = 'CONFIRMED'
                    GROUP BY o.show_id, s.value HAVING COUNT(*) > 1
                    """
            ).map { "show \($0["show_id"] as String) seat \($0["seat_id"] as String): confirmed orders \($0["orders"] as String)" }
            return (confirmedSeats, unbooked, bookedClaims, orphans, twice)
        }
        var booked = ReconciliationCheck(name: "seats: every CONFIRMED order's seats are BOOKED for it", examined: snapshot.0)
        for finding in snapshot.1 {
            let label = "order \(finding.orderId) seat \(finding.seatId): claim \(finding.claimStage ?? "missing") \(finding.claimOrder ?? "")"
            // A seat booked for another order is a double sale: only a person can settle it.
            var repaired = false
            if heal, finding.claimStage != "BOOKED" {
                repaired = try await write { db in
                    guard let order = try Row.fetchOne(
                        db, cached: "SELECT user_id, hold_id FROM orders WHERE order_id = ? AND status = 'CONFIRMED'", arguments: [finding.orderId])
                    else { return false }
                    try db.execute(
                        cached: """
                            INSERT INTO seat_claims (show_id, seat_id, user_id, stage, hold_id, order_id, expires_at)
                            VALUES (?, ?, ?, 'BOOKED', ?, ?, NULL)
                            ON CONFLICT (show_id, seat_id) DO UPDATE SET user_id = excluded.user_id, stage = 'BOOKED', hold_id = excluded.hold_id,
                                order_id = excluded.order_id, expires_at = NULL
                            WHERE seat_claims.stage <> 'BOOKED'
                            """,
                        arguments: [finding.showId, finding.seatId, order["user_id"] as String, order["hold_id"] as String, finding.orderId])
                    return db.changesCount == 1
                }
            }
            booked.record(label, fixed: repaired)
        }
        var orphans = ReconciliationCheck(name: "seats: every BOOKED seat belongs to a CONFIRMED order", examined: snapshot.2)
        for finding in snapshot.3 {
            var repaired = false
            if heal {
                repaired = try await write { db in
                    try db.execute(
                        cached: """
                            DELETE FROM seat_claims WHERE show_id = ? AND seat_id = ? AND stage = 'BOOKED' AND order_id = ?
                              AND NOT EXISTS (SELECT 1 FROM orders WHERE order_id = ? AND status = 'CONFIRMED')
                            """,
                        arguments: [finding.showId, finding.seatId, finding.orderId, finding.orderId])
                    return db.changesCount == 1
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
        try await write { db in
            try db.execute(
                cached: "INSERT INTO reconciliation_reports (report_id, started_at, finished_at, report) VALUES (?, ?, ?, ?)",
                arguments: [report.reportId.uuidString, SQLiteColumns.millis(report.startedAt), SQLiteColumns.millis(report.finishedAt), json])
        }
    }

    public func reconciliationReports(limit: Int) async throws -> [ReconciliationReport] {
        try await read { db in
            try String.fetchAll(db, cached: "SELECT report FROM reconciliation_reports ORDER BY started_at DESC LIMIT ?", arguments: [limit])
                .map { try StoredJSON.decode(ReconciliationReport.self, $0) }
        }
    }

    public func driftSold(rows: Int) async throws -> Int {
        try await write { db in
            try db.execute(
                cached: """
                    UPDATE hotel_inventory SET sold = sold + 1, sold_forced_at = max(COALESCE(sold_forced_at, 0) + 1, ?)
                    WHERE (room_type_id, night) IN (SELECT room_type_id, night FROM hotel_inventory ORDER BY random() LIMIT ?)
                    """,
                arguments: [SQLiteColumns.millis(Date()), rows])
            return db.changesCount
        }
    }

    public func claimJob(_ name: String, owner: String, until: Date, now: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                cached: """
                    INSERT INTO job_leases (name, owner, lease_until) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
                    WHERE job_leases.lease_until <= ? OR job_leases.owner = excluded.owner
                    """,
                arguments: [name, owner, SQLiteColumns.millis(until), SQLiteColumns.millis(now)])
            return db.changesCount == 1
        }
    }

    public func importHotelBookings(_ bookings: [HotelBooking]) async throws {
        let forced = SQLiteColumns.millis(Date())
        try await write { db in
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO hotel_bookings (booking_id, user_id, hotel_id, room_type_id, check_in, check_out, rooms, guests, guest_name,
                                                guest_email, amount, status, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let take = try db.cachedStatement(
                sql: "UPDATE hotel_inventory SET sold = sold + ?, version = version + 1, sold_forced_at = max(COALESCE(sold_forced_at, 0) + 1, ?) WHERE room_type_id = ? AND night = ?")
            for booking in bookings {
                try insert.execute(arguments: [
                    booking.bookingId.uuidString, booking.userId, booking.hotelId.uuidString, booking.roomTypeId.uuidString,
                    booking.checkIn.description, booking.checkOut.description, booking.rooms, booking.guests, booking.guest.name,
                    booking.guest.email, booking.amount.minorUnits, booking.status.rawValue, SQLiteColumns.millis(booking.createdAt),
                ])
                guard booking.holdsRooms else { continue }
                for night in booking.stay.nights {
                    try take.execute(arguments: [booking.rooms, forced, booking.roomTypeId.uuidString, night.description])
                }
            }
        }
    }
}
