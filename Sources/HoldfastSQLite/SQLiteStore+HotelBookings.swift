import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

/// A hotel booking's life after `POST /book`: reading, date changes, cancellation, and the overbooking
/// resolver's moves. SQLite has one writer, so each transaction sees the rows it checks stay as they are.
extension SQLiteStore {
    public func hotelBooking(_ bookingId: UUID, userId: String?) async throws -> HotelBooking {
        try await read { db in try Self.ownedHotelBooking(db, bookingId, userId: userId) }
    }

    public func hotelBookings(userId: String, page: PageRequest) async throws -> Page<HotelBooking> {
        try await pageOfBookings(where: "user_id = ?", [userId], order: "created_at DESC, booking_id", page: page)
    }

    public func hotelBookings(status: HotelBookingStatus, page: PageRequest) async throws -> Page<HotelBooking> {
        try await pageOfBookings(where: "status = ?", [status.rawValue], order: "created_at, booking_id", page: page)
    }

    private func pageOfBookings(where filter: String, _ arguments: StatementArguments, order: String, page: PageRequest) async throws
        -> Page<HotelBooking>
    {
        try await read { db in
            let total = try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM hotel_bookings WHERE \(filter)", arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db, cached: "SELECT * FROM hotel_bookings WHERE \(filter) ORDER BY \(order) LIMIT ? OFFSET ?",
                arguments: arguments + [page.pageSize, page.offset])
            return Page(items: try rows.map(Self.hotelBooking), page: page.page, pageSize: page.pageSize, total: total)
        }
    }

    public func changeHotelBooking(_ changed: HotelBooking, expected: [InventoryNight], now: Date) async throws -> Bool {
        do {
            try await write { db in
                let current = try Self.ownedHotelBooking(db, changed.bookingId, userId: changed.userId)
                guard current.status == .confirmed else { throw VersionMoved() }
                try Self.giveBack(db, current)
                try Self.take(db, rooms: changed.rooms, of: expected)
                try db.execute(
                    cached: "UPDATE hotel_bookings SET check_in = ?, check_out = ?, amount = ? WHERE booking_id = ?",
                    arguments: [changed.checkIn.description, changed.checkOut.description, changed.amount.minorUnits, changed.bookingId.uuidString])
                try Self.record(db, [HotelEvents.booking(.hotelBookingChanged, changed, at: now)])
            }
            return true
        } catch is VersionMoved {
            return false
        }
    }

    public func cancelHotelBooking(_ bookingId: UUID, userId: String?, now: Date) async throws -> HotelBooking {
        try await write { db in
            var booking = try Self.ownedHotelBooking(db, bookingId, userId: userId)
            guard booking.holdsRooms else { return booking }
            try Self.giveBack(db, booking)
            booking.status = .cancelled
            booking.cancelledAt = now
            try db.execute(
                cached: "UPDATE hotel_bookings SET status = 'CANCELLED', cancelled_at = ? WHERE booking_id = ?",
                arguments: [SQLiteColumns.millis(now), bookingId.uuidString])
            try Self.record(db, [HotelEvents.booking(.hotelBookingCancelled, booking, at: now)])
            return booking
        }
    }

    public func overbookedNights(limit: Int) async throws -> [OverbookedNight] {
        try await read { db in
            try Row.fetchAll(
                db,
                cached: """
                    SELECT room_type_id, night, sellable, sold, escalated FROM (
                        SELECT i.room_type_id, i.night, i.total - i.out_of_service AS sellable, i.sold, \(Self.escalatedRooms) AS escalated
                        FROM hotel_inventory i WHERE i.sold > i.total - i.out_of_service
                    ) WHERE sold - sellable - escalated > 0 ORDER BY night, room_type_id LIMIT ?
                    """,
                arguments: [limit]
            ).map { row in
                OverbookedNight(
                    roomTypeId: row.uuid("room_type_id"), night: try CalendarDate(row["night"] as String), sellable: row["sellable"], sold: row["sold"],
                    escalated: row["escalated"])
            }
        }
    }

    public func confirmedBookings(roomTypeId: UUID, night: CalendarDate) async throws -> [HotelBooking] {
        try await read { db in
            try Row.fetchAll(
                db,
                cached: """
                    SELECT * FROM hotel_bookings WHERE room_type_id = ? AND status = 'CONFIRMED' AND check_in <= ? AND check_out > ?
                    ORDER BY created_at DESC, booking_id
                    """,
                arguments: [roomTypeId.uuidString, night.description, night.description]
            ).map(Self.hotelBooking)
        }
    }

    public func reassignHotelBooking(_ booking: HotelBooking, to roomType: RoomType, overbooked night: CalendarDate, now: Date) async throws -> Bool {
        do {
            return try await write { db in
                guard try Self.excess(db, roomTypeId: booking.roomTypeId, night: night) > 0 else { return false }
                let current = try Self.ownedHotelBooking(db, booking.bookingId, userId: nil)
                guard current.status == .confirmed, current.roomTypeId == booking.roomTypeId, current.stay == booking.stay,
                    let from = try Row.fetchOne(db, cached: "SELECT * FROM room_types WHERE room_type_id = ?", arguments: [current.roomTypeId.uuidString])
                        .map(Self.roomType)
                else { return false }
                try Self.giveBack(db, current)
                for day in current.stay.nights {
                    try Self.take(db, rooms: current.rooms, roomTypeId: roomType.roomTypeId, night: day, atVersion: nil)
                }
                var moved = current
                moved.hotelId = roomType.hotelId
                moved.roomTypeId = roomType.roomTypeId
                try db.execute(
                    cached: "UPDATE hotel_bookings SET hotel_id = ?, room_type_id = ? WHERE booking_id = ?",
                    arguments: [moved.hotelId.uuidString, moved.roomTypeId.uuidString, moved.bookingId.uuidString])
                try Self.record(db, [HotelEvents.reassigned(moved, from: from, at: now)])
                return true
            }
        } catch is VersionMoved {
            return false
        }
    }

    public func escalateHotelBooking(_ bookingId: UUID, overbooked night: CalendarDate, reason: String, now: Date) async throws -> Bool {
        try await write { db in
            var booking = try Self.ownedHotelBooking(db, bookingId, userId: nil)
            guard booking.status == .confirmed, try Self.excess(db, roomTypeId: booking.roomTypeId, night: night) > 0 else { return false }
            booking.status = .needsAttention
            booking.attentionReason = reason
            try db.execute(
                cached: "UPDATE hotel_bookings SET status = 'NEEDS_ATTENTION', attention_reason = ? WHERE booking_id = ?",
                arguments: [reason, bookingId.uuidString])
            try Self.record(db, [HotelEvents.needsAttention(booking, at: now)])
            return true
        }
    }

    public func restoreHotelBooking(_ bookingId: UUID, now: Date) async throws -> Bool {
        // The watch asks often and the answer is mostly no: look before taking the write lock (a write that
        // changes nothing would still wake every worker waiting for commits).
        guard try await read({ db in try Self.restorable(db, bookingId) }) != nil else { return false }
        return try await write { db in
            guard var booking = try Self.restorable(db, bookingId) else { return false }
            booking.status = .confirmed
            booking.attentionReason = nil
            try db.execute(
                cached: "UPDATE hotel_bookings SET status = 'CONFIRMED', attention_reason = NULL WHERE booking_id = ?", arguments: [bookingId.uuidString])
            try Self.record(db, [HotelEvents.booking(.hotelBookingRestored, booking, at: now)])
            return true
        }
    }

    /// The NEEDS_ATTENTION booking when every night of its stay has room for it beside the confirmed load
    /// (sold minus every escalated booking, this one included).
    static func restorable(_ db: Database, _ bookingId: UUID) throws -> HotelBooking? {
        let booking = try ownedHotelBooking(db, bookingId, userId: nil)
        guard booking.status == .needsAttention else { return nil }
        for night in booking.stay.nights where try excess(db, roomTypeId: booking.roomTypeId, night: night) + booking.rooms > 0 {
            return nil
        }
        return booking
    }

    /// Rooms of NEEDS_ATTENTION bookings on inventory row `i`'s night.
    static let escalatedRooms = """
        COALESCE((SELECT SUM(b.rooms) FROM hotel_bookings b WHERE b.room_type_id = i.room_type_id AND b.status = 'NEEDS_ATTENTION'
                  AND b.check_in <= i.night AND b.check_out > i.night), 0)
        """

    /// Sold minus total minus escalated rooms of one night (positive: rooms still to move); 0 without a row.
    static func excess(_ db: Database, roomTypeId: UUID, night: CalendarDate) throws -> Int {
        try Int.fetchOne(
            db, cached: "SELECT i.sold - (i.total - i.out_of_service) - \(escalatedRooms) FROM hotel_inventory i WHERE i.room_type_id = ? AND i.night = ?",
            arguments: [roomTypeId.uuidString, night.description]) ?? 0
    }
}
