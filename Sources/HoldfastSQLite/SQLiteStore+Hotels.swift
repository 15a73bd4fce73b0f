import Foundation
import GRDB
import HoldfastCore
import HoldfastStore

extension SQLiteStore {
    public func saveHotel(_ hotel: Hotel) async throws {
        try await write { db in
            try db.execute(
                cached: """
                    INSERT INTO hotels (hotel_id, name, city, city_key, address, geo_lat, geo_lng, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (hotel_id) DO UPDATE SET name = excluded.name, city = excluded.city, city_key = excluded.city_key,
                        address = excluded.address, geo_lat = excluded.geo_lat, geo_lng = excluded.geo_lng
                    """,
                arguments: [
                    hotel.hotelId.uuidString, hotel.name, hotel.city, hotel.city.lowercased(), hotel.address, hotel.geoLat, hotel.geoLng,
                    SQLiteColumns.millis(hotel.createdAt),
                ])
        }
    }

    public func hotel(_ hotelId: UUID) async throws -> Hotel? {
        try await read { db in try Row.fetchOne(db, cached: "SELECT * FROM hotels WHERE hotel_id = ?", arguments: [hotelId.uuidString]).map(Self.hotel) }
    }

    public func hasHotels() async throws -> Bool {
        try await read { db in try Bool.fetchOne(db, cached: "SELECT EXISTS (SELECT 1 FROM hotels)") ?? false }
    }

    public func saveRoomType(_ roomType: RoomType) async throws {
        try await write { db in
            try db.execute(
                cached: """
                    INSERT INTO room_types (room_type_id, hotel_id, name, occupancy, rate, created_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (room_type_id) DO UPDATE SET name = excluded.name, occupancy = excluded.occupancy, rate = excluded.rate
                    """,
                arguments: [
                    roomType.roomTypeId.uuidString, roomType.hotelId.uuidString, roomType.name, roomType.occupancy, roomType.rate.minorUnits,
                    SQLiteColumns.millis(roomType.createdAt),
                ])
        }
    }

    public func roomType(_ roomTypeId: UUID) async throws -> RoomType? {
        try await read { db in
            try Row.fetchOne(db, cached: "SELECT * FROM room_types WHERE room_type_id = ?", arguments: [roomTypeId.uuidString]).map(Self.roomType)
        }
    }

    public func setInventory(roomTypeId: UUID, nights: [CalendarDate], total: Int, rate: Money) async throws {
        try await write { db in
            for night in nights {
                try db.execute(
                    cached: """
                        INSERT INTO hotel_inventory (room_type_id, night, total, sold, rate, version) VALUES (?, ?, ?, 0, ?, 0)
                        ON CONFLICT (room_type_id, night) DO UPDATE SET total = excluded.total, rate = excluded.rate, version = version + 1
                        """,
                    arguments: [roomTypeId.uuidString, night.description, total, rate.minorUnits])
            }
        }
    }

    public func inventory(roomTypeId: UUID, nights: [CalendarDate]) async throws -> [InventoryNight] {
        try await read { db in try Self.inventory(db, roomTypeId: roomTypeId, nights: nights) }
    }

    public func offers(city: String, nights: [CalendarDate]) async throws -> [HotelOffer] {
        try await read { db in
            let hotels = try Row.fetchAll(db, cached: "SELECT * FROM hotels WHERE city_key = ?", arguments: [city.lowercased()]).map(Self.hotel)
            var offers: [HotelOffer] = []
            for hotel in hotels {
                let types = try Row.fetchAll(db, cached: "SELECT * FROM room_types WHERE hotel_id = ? ORDER BY name", arguments: [hotel.hotelId.uuidString])
                    .map(Self.roomType)
                for type in types {
                    offers.append(HotelOffer(hotel: hotel, roomType: type, nights: try Self.inventory(db, roomTypeId: type.roomTypeId, nights: nights)))
                }
            }
            return offers
        }
    }

    public func bookRooms(_ booking: HotelBooking, expected: [InventoryNight], now: Date) async throws -> Bool {
        do {
            try await write { db in
                try Self.take(db, rooms: booking.rooms, of: expected)
                try db.execute(
                    cached: """
                        INSERT INTO hotel_bookings (booking_id, user_id, hotel_id, room_type_id, check_in, check_out, rooms, guests, guest_name,
                                                    guest_email, amount, status, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        booking.bookingId.uuidString, booking.userId, booking.hotelId.uuidString, booking.roomTypeId.uuidString,
                        booking.checkIn.description, booking.checkOut.description, booking.rooms, booking.guests, booking.guest.name,
                        booking.guest.email, booking.amount.minorUnits, booking.status.rawValue, SQLiteColumns.millis(booking.createdAt),
                    ])
                try Self.record(db, [HotelEvents.booking(.hotelBookingCreated, booking, at: now)])
            }
            return true
        } catch is VersionMoved {
            return false
        }
    }

    /// Takes `rooms` on each night of `expected`, each only at its version and with room left; else rolls back.
    static func take(_ db: Database, rooms: Int, of expected: [InventoryNight]) throws {
        for night in expected { try take(db, rooms: rooms, roomTypeId: night.roomTypeId, night: night.night, atVersion: night.version) }
    }

    /// Takes `rooms` on one night, only with room left in service (and, given one, only at `version`); else rolls back.
    static func take(_ db: Database, rooms: Int, roomTypeId: UUID, night: CalendarDate, atVersion version: Int?) throws {
        try db.execute(
            cached: """
                UPDATE hotel_inventory SET sold = sold + ?, version = version + 1
                WHERE room_type_id = ? AND night = ? AND (? IS NULL OR version = ?) AND sold + ? <= total - out_of_service
                """,
            arguments: [rooms, roomTypeId.uuidString, night.description, version, version, rooms])
        guard db.changesCount == 1 else { throw VersionMoved() }
    }

    /// Returns a booking's rooms to every night of its stay.
    static func giveBack(_ db: Database, _ booking: HotelBooking) throws {
        for night in booking.stay.nights {
            try db.execute(
                cached: "UPDATE hotel_inventory SET sold = sold - ?, version = version + 1 WHERE room_type_id = ? AND night = ?",
                arguments: [booking.rooms, booking.roomTypeId.uuidString, night.description])
        }
    }

    static func inventory(_ db: Database, roomTypeId: UUID, nights: [CalendarDate]) throws -> [InventoryNight] {
        guard !nights.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: nights.count).joined(separator: ", ")
        return try Row.fetchAll(
            db, cached: "SELECT * FROM hotel_inventory WHERE room_type_id = ? AND night IN (\(placeholders)) ORDER BY night",
            arguments: [roomTypeId.uuidString] + StatementArguments(nights.map(\.description))
        ).map { row in
            InventoryNight(
                roomTypeId: row.uuid("room_type_id"), night: try CalendarDate(row["night"] as String), total: row["total"],
                outOfService: row["out_of_service"], sold: row["sold"],
                rate: Money(minorUnits: row["rate"]), version: row["version"])
        }
    }

    static func ownedHotelBooking(_ db: Database, _ bookingId: UUID, userId: String?) throws -> HotelBooking {
        guard let row = try Row.fetchOne(db, cached: "SELECT * FROM hotel_bookings WHERE booking_id = ?", arguments: [bookingId.uuidString]),
            userId == nil || row["user_id"] == userId
        else { throw HoldfastError.notFound("Booking") }
        return try hotelBooking(row)
    }

    static func hotelBooking(_ row: Row) throws -> HotelBooking {
        HotelBooking(
            bookingId: row.uuid("booking_id"), userId: row["user_id"], hotelId: row.uuid("hotel_id"), roomTypeId: row.uuid("room_type_id"),
            checkIn: try CalendarDate(row["check_in"] as String), checkOut: try CalendarDate(row["check_out"] as String), rooms: row["rooms"],
            guests: row["guests"], guest: HotelGuest(name: row["guest_name"], email: row["guest_email"]), amount: Money(minorUnits: row["amount"]),
            status: HotelBookingStatus(rawValue: row["status"])!, attentionReason: row["attention_reason"], createdAt: row.date("created_at"),
            cancelledAt: row.optionalDate("cancelled_at"))
    }

    static func hotel(_ row: Row) -> Hotel {
        Hotel(
            hotelId: row.uuid("hotel_id"), name: row["name"], city: row["city"], address: row["address"], geoLat: row["geo_lat"],
            geoLng: row["geo_lng"], createdAt: row.date("created_at"))
    }

    static func roomType(_ row: Row) -> RoomType {
        RoomType(
            roomTypeId: row.uuid("room_type_id"), hotelId: row.uuid("hotel_id"), name: row["name"], occupancy: row["occupancy"],
            rate: Money(minorUnits: row["rate"]), createdAt: row.date("created_at"))
    }
}

/// A row's version moved on between reading and booking: the booking transaction rolls back and is retried.
struct VersionMoved: Error {}
