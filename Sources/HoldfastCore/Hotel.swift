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

/// One night of one room type: rooms sellable, rooms sold, its rate, and a version for optimistic locking.
public struct InventoryNight: Sendable, Hashable, Codable {
    public let roomTypeId: UUID
    public let night: CalendarDate
    public let total: Int
    public let sold: Int
    public let rate: Money
    public let version: Int

    public init(roomTypeId: UUID, night: CalendarDate, total: Int, sold: Int, rate: Money, version: Int) {
        self.roomTypeId = roomTypeId
        self.night = night
        self.total = total
        self.sold = sold
        self.rate = rate
        self.version = version
    }

    public var available: Int { max(0, total - sold) }
}
