import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO

extension PostgresStore {
    static let bookingColumns = """
        booking_id, user_id, hotel_id, room_type_id, check_in::text AS check_in, check_out::text AS check_out, rooms, guests, guest_name,
        guest_email, amount, status, attention_reason, created_at, cancelled_at
        """

    public func saveHotel(_ hotel: Hotel) async throws {
        try await statement { connection in
            try await connection.execute(
                """
                INSERT INTO hotels (hotel_id, name, city, city_key, address, geo_lat, geo_lng, created_at)
                VALUES (\(hotel.hotelId), \(hotel.name), \(hotel.city), \(hotel.city.lowercased()), \(hotel.address), \(hotel.geoLat),
                        \(hotel.geoLng), \(hotel.createdAt))
                ON CONFLICT (hotel_id) DO UPDATE SET name = EXCLUDED.name, city = EXCLUDED.city, city_key = EXCLUDED.city_key,
                    address = EXCLUDED.address, geo_lat = EXCLUDED.geo_lat, geo_lng = EXCLUDED.geo_lng
                """, logger)
        }
    }

    public func hotel(_ hotelId: UUID) async throws -> Hotel? {
        try await read { connection in
            try await connection.rows("SELECT * FROM hotels WHERE hotel_id = \(hotelId)", logger).first.map(Self.hotel)
        }
    }

    public func hasHotels() async throws -> Bool {
        try await read { connection in
            try await connection.rows("SELECT EXISTS (SELECT 1 FROM hotels) AS present", logger).first?.value("present", as: Bool.self) ?? false
        }
    }

    public func saveRoomType(_ roomType: RoomType) async throws {
        try await statement { connection in
            try await connection.execute(
                """
                INSERT INTO room_types (room_type_id, hotel_id, name, occupancy, rate, created_at)
                VALUES (\(roomType.roomTypeId), \(roomType.hotelId), \(roomType.name), \(roomType.occupancy), \(roomType.rate.minorUnits),
                        \(roomType.createdAt))
                ON CONFLICT (room_type_id) DO UPDATE SET name = EXCLUDED.name, occupancy = EXCLUDED.occupancy, rate = EXCLUDED.rate
                """, logger)
        }
    }

    public func roomType(_ roomTypeId: UUID) async throws -> RoomType? {
        try await read { connection in
            try await connection.rows("SELECT * FROM room_types WHERE room_type_id = \(roomTypeId)", logger).first.map(Self.roomType)
        }
    }

    public func setInventory(roomTypeId: UUID, nights: [CalendarDate], total: Int, rate: Money) async throws {
        let days = nights.map(\.description)
        try await statement { connection in
            try await connection.execute(
                """
                INSERT INTO hotel_inventory (room_type_id, night, total, sold, rate, version)
                SELECT \(roomTypeId), night::date, \(total), 0, \(rate.minorUnits), 0 FROM unnest(\(days)::text[]) AS night
                ON CONFLICT (room_type_id, night) DO UPDATE SET total = EXCLUDED.total, rate = EXCLUDED.rate,
                    version = hotel_inventory.version + 1
                """, logger)
        }
    }

    public func inventory(roomTypeId: UUID, nights: [CalendarDate]) async throws -> [InventoryNight] {
        try await read { connection in try await Self.inventory(connection, logger, roomTypeIds: [roomTypeId], nights: nights) }
    }

    public func offers(city: String, nights: [CalendarDate]) async throws -> [HotelOffer] {
        try await read { connection in
            let hotels = try await connection.rows("SELECT * FROM hotels WHERE city_key = \(city.lowercased())", logger).map(Self.hotel)
            guard !hotels.isEmpty else { return [] }
            let types = try await connection.rows(
                "SELECT * FROM room_types WHERE hotel_id = ANY(\(hotels.map(\.hotelId))) ORDER BY name", logger
            ).map(Self.roomType)
            let rows = try await Self.inventory(connection, logger, roomTypeIds: types.map(\.roomTypeId), nights: nights)
            let byType = Dictionary(grouping: rows, by: \.roomTypeId)
            let byHotel = Dictionary(uniqueKeysWithValues: hotels.map { ($0.hotelId, $0) })
            return types.compactMap { type in
                byHotel[type.hotelId].map { HotelOffer(hotel: $0, roomType: type, nights: byType[type.roomTypeId] ?? []) }
            }
        }
    }

    public func bookRooms(_ booking: HotelBooking, expected: [InventoryNight], now: Date) async throws -> Bool {
        do {
            try await transaction { connection in
                try await Self.take(connection, logger, rooms: booking.rooms, of: expected)
                try await connection.execute(
                    """
                    INSERT INTO hotel_bookings (booking_id, user_id, hotel_id, room_type_id, check_in, check_out, rooms, guests, guest_name,
                                                guest_email, amount, status, created_at)
                    VALUES (\(booking.bookingId), \(booking.userId), \(booking.hotelId), \(booking.roomTypeId), \(booking.checkIn.description)::date,
                            \(booking.checkOut.description)::date, \(booking.rooms), \(booking.guests), \(booking.guest.name), \(booking.guest.email),
                            \(booking.amount.minorUnits), \(booking.status.rawValue), \(booking.createdAt))
                    """, logger)
                try await Self.record(connection, logger, [HotelEvents.booking(.hotelBookingCreated, booking, at: now)])
            }
            return true
        } catch is VersionMoved {
            return false
        }
    }

    /// Takes `rooms` on each night of `expected`, each only at its version and with room left; else rolls back.
    static func take(_ connection: PostgresConnection, _ logger: Logger, rooms: Int, of expected: [InventoryNight]) async throws {
        for night in expected {
            let taken = try await connection.rows(
                """
                UPDATE hotel_inventory SET sold = sold + \(rooms), version = version + 1
                WHERE room_type_id = \(night.roomTypeId) AND night = \(night.night.description)::date AND version = \(night.version)
                  AND sold + \(rooms) <= total - out_of_service
                RETURNING 1 AS taken
                """, logger)
            guard taken.count == 1 else { throw VersionMoved() }
        }
    }

    /// Returns a booking's rooms to every night of its stay.
    static func giveBack(_ connection: PostgresConnection, _ logger: Logger, _ booking: HotelBooking) async throws {
        let nights = booking.stay.nights.map(\.description)
        try await connection.execute(
            """
            UPDATE hotel_inventory SET sold = sold - \(booking.rooms), version = version + 1
            WHERE room_type_id = \(booking.roomTypeId) AND night = ANY(\(nights)::date[])
            """, logger)
    }

    static func inventory(
        _ connection: PostgresConnection, _ logger: Logger, roomTypeIds: [UUID], nights: [CalendarDate]
    ) async throws -> [InventoryNight] {
        guard !nights.isEmpty, !roomTypeIds.isEmpty else { return [] }
        return try await connection.rows(
            """
            SELECT room_type_id, night::text AS night, total, out_of_service, sold, rate, version FROM hotel_inventory
            WHERE room_type_id = ANY(\(roomTypeIds)) AND night = ANY(\(nights.map(\.description))::date[]) ORDER BY room_type_id, night
            """, logger
        ).map { row in
            InventoryNight(
                roomTypeId: try row.value("room_type_id"), night: try CalendarDate(try row.value("night", as: String.self)),
                total: try row.value("total"), outOfService: try row.value("out_of_service"), sold: try row.value("sold"),
                rate: Money(minorUnits: try row.value("rate")),
                version: try row.value("version"))
        }
    }

    static func ownedHotelBooking(
        _ connection: PostgresConnection, _ logger: Logger, _ bookingId: UUID, userId: String?, lock: Bool
    ) async throws -> HotelBooking {
        let rows = try await connection.rows(
            "SELECT \(unescaped: bookingColumns) FROM hotel_bookings WHERE booking_id = \(bookingId) \(unescaped: lock ? "FOR UPDATE" : "")", logger)
        guard let row = rows.first, try userId == nil || row.value("user_id", as: String.self) == userId else {
            throw HoldfastError.notFound("Booking")
        }
        return try hotelBooking(row)
    }

    static func hotelBooking(_ row: PostgresRandomAccessRow) throws -> HotelBooking {
        HotelBooking(
            bookingId: try row.value("booking_id"), userId: try row.value("user_id"), hotelId: try row.value("hotel_id"),
            roomTypeId: try row.value("room_type_id"), checkIn: try CalendarDate(try row.value("check_in", as: String.self)),
            checkOut: try CalendarDate(try row.value("check_out", as: String.self)), rooms: try row.value("rooms"),
            guests: try row.value("guests"), guest: HotelGuest(name: try row.value("guest_name"), email: try row.value("guest_email")),
            amount: Money(minorUnits: try row.value("amount")), status: HotelBookingStatus(rawValue: try row.value("status"))!,
            attentionReason: try row.value("attention_reason"), createdAt: try row.value("created_at"), cancelledAt: try row.value("cancelled_at"))
    }

    static func hotel(_ row: PostgresRandomAccessRow) throws -> Hotel {
        Hotel(
            hotelId: try row.value("hotel_id"), name: try row.value("name"), city: try row.value("city"), address: try row.value("address"),
            geoLat: try row.value("geo_lat"), geoLng: try row.value("geo_lng"), createdAt: try row.value("created_at"))
    }

    static func roomType(_ row: PostgresRandomAccessRow) throws -> RoomType {
        RoomType(
            roomTypeId: try row.value("room_type_id"), hotelId: try row.value("hotel_id"), name: try row.value("name"),
            occupancy: try row.value("occupancy"), rate: Money(minorUnits: try row.value("rate")), createdAt: try row.value("created_at"))
    }
}

/// A row's version moved on between reading and booking: the booking transaction rolls back and is retried.
struct VersionMoved: Error {}
