import Foundation

/// A cinema, with seed 001's theatres fields plus the time zone its show dates are counted in.
public struct Theatre: Sendable, Hashable, Codable {
    public var theatreId: UUID
    public var name: String
    public var address: String?
    public var geoLat: Double?
    public var geoLng: Double?
    public var cancellationAvailable: Bool
    public var timeZone: String
    public var createdAt: Date

    public init(
        theatreId: UUID, name: String, address: String? = nil, geoLat: Double? = nil, geoLng: Double? = nil,
        cancellationAvailable: Bool = true, timeZone: String = "UTC", createdAt: Date
    ) {
        self.theatreId = theatreId
        self.name = name
        self.address = address
        self.geoLat = geoLat
        self.geoLng = geoLng
        self.cancellationAvailable = cancellationAvailable
        self.timeZone = timeZone
        self.createdAt = createdAt
    }

    public func validate() throws {
        try Validate.text(name, field: "name", max: 255)
        if let address { try Validate.text(address, field: "address", max: 1_000) }
        if let geoLat, !(-90...90).contains(geoLat) { throw HoldfastError.invalid("geoLat must be between -90 and 90") }
        if let geoLng, !(-180...180).contains(geoLng) {
            throw HoldfastError.invalid("geoLng must be between -180 and 180")
        }
        guard TimeZone(identifier: timeZone) != nil else {
            throw HoldfastError.invalid("timeZone must be an IANA time zone such as Asia/Kolkata")
        }
    }
}
