import Foundation

/// A hotel of seed 002.
public struct Hotel: Sendable, Hashable, Codable {
    public var hotelId: UUID
    public var name: String
    public var city: String
    public var address: String?
    public var geoLat: Double
    public var geoLng: Double
    public var createdAt: Date

    public init(hotelId: UUID, name: String, city: String, address: String? = nil, geoLat: Double, geoLng: Double, createdAt: Date) {
        self.hotelId = hotelId
        self.name = name
        self.city = city
        self.address = address
        self.geoLat = geoLat
        self.geoLng = geoLng
        self.createdAt = createdAt
    }

    public func validate() throws {
        try Validate.text(name, field: "name", max: 255)
        try Validate.text(city, field: "city", max: 100)
        if let address { try Validate.text(address, field: "address", max: 1_000) }
        guard (-90...90).contains(geoLat), (-180...180).contains(geoLng) else {
            throw HoldfastError.invalid("geoLat must be -90…90 and geoLng -180…180")
        }
    }

    /// Great-circle distance in kilometres.
    public func distance(toLat lat: Double, lng: Double) -> Double {
        let r = 6_371.0, toRad = Double.pi / 180
        let dLat = (lat - geoLat) * toRad, dLng = (lng - geoLng) * toRad
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(geoLat * toRad) * cos(lat * toRad) * sin(dLng / 2) * sin(dLng / 2)
        return 2 * r * asin(min(1, sqrt(a)))
    }
}

/// A kind of room in a hotel: how many guests it sleeps and its standard nightly rate.
public struct RoomType: Sendable, Hashable, Codable {
    public var roomTypeId: UUID
    public var hotelId: UUID
    public var name: String
    public var occupancy: Int
    public var rate: Money
    public var createdAt: Date

    public init(roomTypeId: UUID, hotelId: UUID, name: String, occupancy: Int, rate: Money, createdAt: Date) {
        self.roomTypeId = roomTypeId
        self.hotelId = hotelId
        self.name = name
        self.occupancy = occupancy
        self.rate = rate
        self.createdAt = createdAt
    }

    public func validate() throws {
        try Validate.text(name, field: "name", max: 100)
        guard (1...20).contains(occupancy) else { throw HoldfastError.invalid("occupancy must be 1-20 guests") }
    }
}

/// One night of one room type: its rooms (`total`, set by an admin or the PMS), how many of them are out
/// of service, rooms sold, its rate, and a version for optimistic locking.
public struct InventoryNight: Sendable, Hashable, Codable {
    public let roomTypeId: UUID
    public let night: CalendarDate
    public let total: Int
    public let outOfService: Int
    public let sold: Int
    public let rate: Money
    public let version: Int

    public init(roomTypeId: UUID, night: CalendarDate, total: Int, outOfService: Int = 0, sold: Int, rate: Money, version: Int) {
        self.roomTypeId = roomTypeId
        self.night = night
        self.total = total
        self.outOfService = outOfService
        self.sold = sold
        self.rate = rate
        self.version = version
    }

    /// Rooms that can be sold at all: those in service.
    public var sellable: Int { max(0, total - outOfService) }
    public var available: Int { max(0, sellable - sold) }

    /// The same row with `rooms` fewer sold and its version moved on, as a release leaves it.
    public func released(_ rooms: Int) -> InventoryNight {
        InventoryNight(roomTypeId: roomTypeId, night: night, total: total, outOfService: outOfService, sold: sold - rooms, rate: rate, version: version + 1)
    }
}

/// A physical room of a room type; taking it out of service lowers what its type can sell on those nights.
public struct Room: Sendable, Hashable, Codable {
    public let roomId: UUID
    public let hotelId: UUID
    public let roomTypeId: UUID
    public let number: String
    public let createdAt: Date

    public init(roomId: UUID, hotelId: UUID, roomTypeId: UUID, number: String, createdAt: Date) {
        self.roomId = roomId
        self.hotelId = hotelId
        self.roomTypeId = roomTypeId
        self.number = number
        self.createdAt = createdAt
    }

    public func validate() throws { try Validate.text(number, field: "number", max: 20) }
}

/// A room out of service for the nights `from` up to the day before `to` (maintenance, damage).
public struct RoomOutage: Sendable, Hashable, Codable {
    public let outageId: UUID
    public let roomId: UUID
    public let roomTypeId: UUID
    public let from: CalendarDate
    public let to: CalendarDate
    public let reason: String
    public let createdAt: Date
    public var endedAt: Date?

    public init(outageId: UUID, roomId: UUID, roomTypeId: UUID, from: CalendarDate, to: CalendarDate, reason: String, createdAt: Date, endedAt: Date? = nil) {
        self.outageId = outageId
        self.roomId = roomId
        self.roomTypeId = roomTypeId
        self.from = from
        self.to = to
        self.reason = reason
        self.createdAt = createdAt
        self.endedAt = endedAt
    }

    public func overlaps(_ other: RoomOutage) -> Bool { from < other.to && other.from < to }
}

extension HoldfastError {
    public static func roomExists(_ number: String) -> HoldfastError {
        HoldfastError(.conflict, code: "ROOM_EXISTS", message: "The hotel already has a room \(number)")
    }

    public static let outageOverlaps = HoldfastError(
        .conflict, code: "OUTAGE_OVERLAPS", message: "This room is already out of service on some of these nights")
}
