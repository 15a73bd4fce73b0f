import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

/// A hotel booking's life after `POST /book`: reading, date changes, cancellation, and the overbooking
/// resolver's moves. The resolver's transactions lock the overbooked inventory row first, so instances
/// resolving the same night at once take turns and the second finds nothing left to do.
extension PostgresStore {
    public func hotelBooking(_ bookingId: UUID, userId: String?) async throws -> HotelBooking {
        try await read { connection in try await Self.ownedHotelBooking(connection, logger, bookingId, userId: userId, lock: false) }
    }

    public func hotelBookings(userId: String, page: PageRequest) async throws -> Page<HotelBooking> {
        try await pageOfBookings(column: "user_id", equals: userId, order: "created_at DESC, booking_id", page: page)
    }

    public func hotelBookings(status: HotelBookingStatus, page: PageRequest) async throws -> Page<HotelBooking> {
        try await pageOfBookings(column: "status", equals: status.rawValue, order: "created_at, booking_id", page: page)
    }

    /// `column` and `order` are this file's constants; `value` is bound.
    private func pageOfBookings(column: String, equals value: String, order: String, page: PageRequest) async throws -> Page<HotelBooking> {
        try await read { connection in
            let total = try await connection.rows(
                "SELECT COUNT(*) AS total FROM hotel_bookings WHERE \(unescaped: column) = \(value)", logger
            ).first?.value("total", as: Int.self) ?? 0
            let rows = try await connection.rows(
                """
                SELECT \(unescaped: Self.bookingColumns) FROM hotel_bookings WHERE \(unescaped: column) = \(value)
                ORDER BY \(unescaped: order) LIMIT \(page.pageSize) OFFSET \(page.offset)
                """, logger)
            return Page(items: try rows.map(Self.hotelBooking), page: page.page, pageSize: page.pageSize, total: total)
        }
    }

    public func changeHotelBooking(_ changed: HotelBooking, expected: [InventoryNight], now: Date) async throws -> Bool {
        do {
            try await transaction { connection in
                let current = try await Self.ownedHotelBooking(connection, logger, changed.bookingId, userId: changed.userId, lock: true)
                guard current.status == .confirmed else { throw VersionMoved() }
                try await Self.giveBack(connection, logger, current)
                try await Self.take(connection, logger, rooms: changed.rooms, of: expected)
                try await connection.execute(
                    """
                    UPDATE hotel_bookings SET check_in = \(changed.checkIn.description)::date, check_out = \(changed.checkOut.description)::date,
                        amount = \(changed.amount.minorUnits)
                    WHERE booking_id = \(changed.bookingId)
                    """, logger)
                try await Self.record(connection, logger, [HotelEvents.booking(.hotelBookingChanged, changed, at: now)])
            }
            return true
        } catch is VersionMoved {
            return false
        }
    }

    public func cancelHotelBooking(_ bookingId: UUID, userId: String?, now: Date) async throws -> HotelBooking {
        try await transaction { connection in
            var booking = try await Self.ownedHotelBooking(connection, logger, bookingId, userId: userId, lock: true)
            guard booking.holdsRooms else { return booking }
            try await Self.giveBack(connection, logger, booking)
            booking.status = .cancelled
            booking.cancelledAt = now
            try await connection.execute(
                "UPDATE hotel_bookings SET status = 'CANCELLED', cancelled_at = \(now) WHERE booking_id = \(bookingId)", logger)
            try await Self.record(connection, logger, [HotelEvents.booking(.hotelBookingCancelled, booking, at: now)])
            return booking
        }
    }

    public func overbookedNights(limit: Int) async throws -> [OverbookedNight] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT room_type_id, night::text AS night, sellable, sold, escalated FROM (
                    SELECT i.room_type_id, i.night, i.total - i.out_of_service AS sellable, i.sold, \(unescaped: Self.escalatedRooms) AS escalated
                    FROM hotel_inventory i WHERE i.sold > i.total - i.out_of_service
                ) AS nights WHERE sold - sellable - escalated > 0 ORDER BY night, room_type_id LIMIT \(limit)
                """, logger
            ).map { row in
                OverbookedNight(
                    roomTypeId: try row.value("room_type_id"), night: try CalendarDate(try row.value("night", as: String.self)),
                    sellable: try row.value("sellable"), sold: try row.value("sold"), escalated: try row.value("escalated"))
            }
        }
    }

    public func confirmedBookings(roomTypeId: UUID, night: CalendarDate) async throws -> [HotelBooking] {
        try await read { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.bookingColumns) FROM hotel_bookings
                WHERE room_type_id = \(roomTypeId) AND status = 'CONFIRMED' AND check_in <= \(night.description)::date
                  AND check_out > \(night.description)::date
                ORDER BY created_at DESC, booking_id
                """, logger
            ).map(Self.hotelBooking)
        }
    }

    public func reassignHotelBooking(_ booking: HotelBooking, to roomType: RoomType, overbooked night: CalendarDate, now: Date) async throws -> Bool {
        do {
            return try await transaction { connection in
                guard try await Self.excess(connection, logger, roomTypeId: booking.roomTypeId, nights: [night], lock: true) > 0 else { return false }
                let current = try await Self.ownedHotelBooking(connection, logger, booking.bookingId, userId: nil, lock: true)
                guard current.status == .confirmed, current.roomTypeId == booking.roomTypeId, current.stay == booking.stay,
                    let from = try await connection.rows("SELECT * FROM room_types WHERE room_type_id = \(current.roomTypeId)", logger)
                        .first.map(Self.roomType)
                else { return false }
                try await Self.giveBack(connection, logger, current)
                let taken = try await connection.rows(
                    """
                    UPDATE hotel_inventory SET sold = sold + \(current.rooms), version = version + 1
                    WHERE room_type_id = \(roomType.roomTypeId) AND night = ANY(\(current.stay.nights.map(\.description))::date[])
                      AND sold + \(current.rooms) <= total - out_of_service
                    RETURNING 1 AS taken
                    """, logger)
                guard taken.count == current.stay.nights.count else { throw VersionMoved() }
                var moved = current
                moved.hotelId = roomType.hotelId
                moved.roomTypeId = roomType.roomTypeId
                try await connection.execute(
                    "UPDATE hotel_bookings SET hotel_id = \(moved.hotelId), room_type_id = \(moved.roomTypeId) WHERE booking_id = \(moved.bookingId)",
                    logger)
                try await Self.record(connection, logger, [HotelEvents.reassigned(moved, from: from, at: now)])
                return true
            }
        } catch is VersionMoved {
            return false
        }
    }

    public func escalateHotelBooking(_ bookingId: UUID, overbooked night: CalendarDate, reason: String, now: Date) async throws -> Bool {
        try await transaction { connection in
            var booking = try await Self.ownedHotelBooking(connection, logger, bookingId, userId: nil, lock: false)
            guard booking.status == .confirmed,
                try await Self.excess(connection, logger, roomTypeId: booking.roomTypeId, nights: [night], lock: true) > 0
            else { return false }
            let changed = try await connection.rows(
                """
                UPDATE hotel_bookings SET status = 'NEEDS_ATTENTION', attention_reason = \(reason)
                WHERE booking_id = \(bookingId) AND status = 'CONFIRMED' RETURNING 1 AS changed
                """, logger)
            guard changed.count == 1 else { return false }
            booking.status = .needsAttention
            booking.attentionReason = reason
            try await Self.record(connection, logger, [HotelEvents.needsAttention(booking, at: now)])
            return true
        }
    }

    public func restoreHotelBooking(_ bookingId: UUID, now: Date) async throws -> Bool {
        // The watch asks often and the answer is mostly no: look without locks before opening a transaction.
        guard try await read({ connection in try await Self.restorable(connection, logger, bookingId, lock: false) }) != nil else { return false }
        return try await transaction { connection in
            guard var booking = try await Self.restorable(connection, logger, bookingId, lock: true) else { return false }
            let changed = try await connection.rows(
                """
                UPDATE hotel_bookings SET status = 'CONFIRMED', attention_reason = NULL
                WHERE booking_id = \(bookingId) AND status = 'NEEDS_ATTENTION' RETURNING 1 AS changed
                """, logger)
            guard changed.count == 1 else { return false }
            booking.status = .confirmed
            booking.attentionReason = nil
            try await Self.record(connection, logger, [HotelEvents.booking(.hotelBookingRestored, booking, at: now)])
            return true
        }
    }

    /// The NEEDS_ATTENTION booking when every night of its stay has room for it beside the confirmed load
    /// (sold minus every escalated booking, this one included); `lock` locks the nights' rows first.
    static func restorable(_ connection: PostgresConnection, _ logger: Logger, _ bookingId: UUID, lock: Bool) async throws -> HotelBooking? {
        let booking = try await ownedHotelBooking(connection, logger, bookingId, userId: nil, lock: false)
        guard booking.status == .needsAttention else { return nil }
        let worst = try await excess(connection, logger, roomTypeId: booking.roomTypeId, nights: booking.stay.nights, lock: lock)
        return worst + booking.rooms <= 0 ? booking : nil
    }

    /// Rooms of NEEDS_ATTENTION bookings on inventory row `i`'s night.
    static let escalatedRooms = """
        COALESCE((SELECT SUM(b.rooms) FROM hotel_bookings b WHERE b.room_type_id = i.room_type_id AND b.status = 'NEEDS_ATTENTION'
                  AND b.check_in <= i.night AND b.check_out > i.night), 0)
        """

    /// The largest sold − rooms in service − escalated among the nights (positive: rooms still to move), having
    /// first locked their inventory rows when `lock` (inside a transaction). Rows that do not exist count as 0.
    static func excess(
        _ connection: PostgresConnection, _ logger: Logger, roomTypeId: UUID, nights: [CalendarDate], lock: Bool
    ) async throws -> Int {
        let days = nights.map(\.description)
        if lock {
            try await connection.execute(
                "SELECT 1 FROM hotel_inventory WHERE room_type_id = \(roomTypeId) AND night = ANY(\(days)::date[]) ORDER BY night FOR UPDATE",
                logger)
        }
        let rows = try await connection.rows(
            """
            SELECT MAX(i.sold - (i.total - i.out_of_service) - \(unescaped: escalatedRooms)) AS excess FROM hotel_inventory i
            WHERE i.room_type_id = \(roomTypeId) AND i.night = ANY(\(days)::date[])
            """, logger)
        return try rows.first?.value("excess", as: Int?.self) ?? 0
    }
}
