import Foundation
import HoldfastCore
import HoldfastStore

struct BookRequest: Decodable {
    let roomTypeId: String
    let checkIn: CalendarDate
    let checkOut: CalendarDate
    let rooms: Int?
    let guests: Int?
    let guest: HotelGuest
}

struct RoomsInput: Decodable {
    let numbers: [String]
}

struct RoomsResponse: Encodable {
    let rooms: [Room]
    let outages: [RoomOutage]
}

/// Out of service for the nights `from` up to the day before `to`.
struct OutageInput: Decodable {
    let from: CalendarDate
    let to: CalendarDate
    let reason: String
}

struct DatesRequest: Decodable {
    let checkIn: CalendarDate
    let checkOut: CalendarDate
}

struct HotelInput: Decodable {
    let name: String
    let city: String
    let address: String?
    let geoLat: Double
    let geoLng: Double
}

struct RoomTypeInput: Decodable {
    let name: String
    let occupancy: Int
    let rate: Money
}

/// Total and rate for the nights from `from` up to the day before `to`; a PMS push names its room type.
struct InventoryInput: Decodable {
    var roomTypeId: UUID?
    let from: CalendarDate
    let to: CalendarDate
    let total: Int
    let rate: Money?
}

struct HotelResultResponse: Encodable {
    let hotel: Hotel
    let roomType: RoomType
    let available: Int
    let totalPrice: Money
    let distanceKm: Double?

    init(_ result: HotelResult) {
        hotel = result.hotel
        roomType = result.roomType
        available = result.available
        totalPrice = result.totalPrice
        distanceKm = result.distanceKm.map { ($0 * 100).rounded() / 100 }
    }
}

struct HotelSearchResponse: Encodable {
    let checkIn: CalendarDate
    let checkOut: CalendarDate
    let nights: Int
    let results: [HotelResultResponse]
    let page: Int
    let pageSize: Int
    let total: Int
}
