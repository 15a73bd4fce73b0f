import Foundation

/// Where an overbooked guest may go, best first. The rule, in order:
/// 1. another room type of the same hotel that sleeps at least as many and costs at least as much
///    (equal or better), the smallest upgrade first;
/// 2. an equal or better room type in another hotel of the same city within `maxDistanceKm`, the nearest
///    hotel first, then the smallest upgrade.
/// Every candidate must have the booking's rooms free on every night of its stay. The guest keeps the
/// price they booked at.
public enum Reassignment {
    public static let maxDistanceKm = 25.0

    public struct Candidate: Sendable {
        public let hotel: Hotel
        public let roomType: RoomType
        /// Rows of the stay's nights, for the conditional take.
        public let nights: [InventoryNight]
        public let distanceKm: Double
    }

    /// `options`: room types of the city with their inventory for `booking`'s nights.
    public static func candidates(
        for booking: HotelBooking, currentType: RoomType, currentHotel: Hotel,
        options: [(hotel: Hotel, roomType: RoomType, nights: [InventoryNight])]
    ) -> [Candidate] {
        let nights = booking.stay.nights.count
        let fitting = options.compactMap { option -> Candidate? in
            let type = option.roomType
            guard type.roomTypeId != currentType.roomTypeId, type.occupancy >= currentType.occupancy, type.rate >= currentType.rate,
                option.nights.count == nights, option.nights.allSatisfy({ $0.available >= booking.rooms })
            else { return nil }
            let distance = option.hotel.hotelId == currentHotel.hotelId
                ? 0 : currentHotel.distance(toLat: option.hotel.geoLat, lng: option.hotel.geoLng)
            guard distance <= maxDistanceKm else { return nil }
            return Candidate(hotel: option.hotel, roomType: type, nights: option.nights, distanceKm: distance)
        }
        return fitting.sorted { a, b in
            let aSame = a.hotel.hotelId == currentHotel.hotelId, bSame = b.hotel.hotelId == currentHotel.hotelId
            if aSame != bSame { return aSame }
            if a.distanceKm != b.distanceKm { return a.distanceKm < b.distanceKm }
            if a.roomType.rate != b.roomType.rate { return a.roomType.rate < b.roomType.rate }
            return a.roomType.roomTypeId.uuidString < b.roomType.roomTypeId.uuidString
        }
    }
}

/// A night of a room type with more rooms sold than it has, beyond what admins already know about.
public struct OverbookedNight: Sendable, Hashable {
    public let roomTypeId: UUID
    public let night: CalendarDate
    /// Rooms in service that night.
    public let sellable: Int
    public let sold: Int
    /// Rooms of bookings already escalated (NEEDS_ATTENTION) on this night.
    public let escalated: Int

    public init(roomTypeId: UUID, night: CalendarDate, sellable: Int, sold: Int, escalated: Int) {
        self.roomTypeId = roomTypeId
        self.night = night
        self.sellable = sellable
        self.sold = sold
        self.escalated = escalated
    }

    /// Rooms still to move or escalate.
    public var excess: Int { sold - sellable - escalated }
}
