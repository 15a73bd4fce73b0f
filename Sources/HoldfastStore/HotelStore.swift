import Foundation
import HoldfastCore

/// A room type of a hotel with its inventory for the nights asked about.
public struct HotelOffer: Sendable {
    public let hotel: Hotel
    public let roomType: RoomType
    public let nights: [InventoryNight]

    public init(hotel: Hotel, roomType: RoomType, nights: [InventoryNight]) {
        self.hotel = hotel
        self.roomType = roomType
        self.nights = nights
    }
}

/// Hotels, room types, per-night inventory and hotel bookings (seed 002).
public protocol HotelStore: Sendable {
    func saveHotel(_ hotel: Hotel) async throws
    func hotel(_ hotelId: UUID) async throws -> Hotel?
    func hasHotels() async throws -> Bool
    func saveRoomType(_ roomType: RoomType) async throws
    func roomType(_ roomTypeId: UUID) async throws -> RoomType?
    /// Sets total and rate for each night, keeping what is sold (a total below it is an overbooking to resolve).
    func setInventory(roomTypeId: UUID, nights: [CalendarDate], total: Int, rate: Money) async throws
    func inventory(roomTypeId: UUID, nights: [CalendarDate]) async throws -> [InventoryNight]
    /// Every room type of the city's hotels with its inventory rows for `nights` (missing nights are not sold).
    func offers(city: String, nights: [CalendarDate]) async throws -> [HotelOffer]
    /// Takes `booking.rooms` on every night in one transaction, each row only if it still has the version in
    /// `expected` and room left; answers false, having changed nothing, when any row moved on.
    func bookRooms(_ booking: HotelBooking, expected: [InventoryNight], now: Date) async throws -> Bool
    func hotelBooking(_ bookingId: UUID, userId: String) async throws -> HotelBooking
    func hotelBookings(userId: String, page: PageRequest) async throws -> Page<HotelBooking>
    /// Moves a confirmed booking to `changed`'s dates in one transaction: the old nights are given back and
    /// the new ones taken (each only at its `expected` version, counting the release, and with room left).
    /// Answers false, having changed nothing, when any row moved on.
    func changeHotelBooking(_ changed: HotelBooking, expected: [InventoryNight], now: Date) async throws -> Bool
    /// Cancels and gives every night's rooms back; a cancelled booking is returned as it is.
    func cancelHotelBooking(_ bookingId: UUID, userId: String, now: Date) async throws -> HotelBooking
}
