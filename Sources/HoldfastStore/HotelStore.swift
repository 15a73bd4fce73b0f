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
    /// A booking of `userId` (nil: of anyone, for admins); not found for other users' bookings.
    func hotelBooking(_ bookingId: UUID, userId: String?) async throws -> HotelBooking
    func hotelBookings(userId: String, page: PageRequest) async throws -> Page<HotelBooking>
    /// Every user's bookings in `status`, oldest first (the admin's work list for NEEDS_ATTENTION).
    func hotelBookings(status: HotelBookingStatus, page: PageRequest) async throws -> Page<HotelBooking>
    /// Moves a confirmed booking to `changed`'s dates in one transaction: the old nights are given back and
    /// the new ones taken (each only at its `expected` version, counting the release, and with room left).
    /// Answers false, having changed nothing, when any row moved on.
    func changeHotelBooking(_ changed: HotelBooking, expected: [InventoryNight], now: Date) async throws -> Bool
    /// Cancels and gives every night's rooms back; a cancelled booking is returned as it is. `userId` nil: an admin.
    func cancelHotelBooking(_ bookingId: UUID, userId: String?, now: Date) async throws -> HotelBooking

    /// Adds rooms, all or none: a number the hotel already has is refused (409 ROOM_EXISTS).
    func saveRooms(_ rooms: [Room]) async throws
    func rooms(roomTypeId: UUID) async throws -> [Room]
    func room(_ roomId: UUID) async throws -> Room?
    /// Takes the room out of service on the outage's nights in one transaction: each night's
    /// `outOfService` goes up by one (nights without inventory are skipped). Refused (409 OUTAGE_OVERLAPS)
    /// when it overlaps another running outage of the room. Sold nights may end up overbooked.
    func startOutage(_ outage: RoomOutage) async throws
    /// Puts the room back on the outage's nights; an outage already ended is returned as it is.
    func endOutage(_ outageId: UUID, now: Date) async throws -> RoomOutage
    /// Running outages of the room type's rooms, earliest first.
    func outages(roomTypeId: UUID) async throws -> [RoomOutage]

    /// Adds bookings made elsewhere (a bulk import) and their rooms to the nights' `sold`, in one transaction,
    /// recording no events; nights sold beyond their total are left for the overbooking watch.
    func importHotelBookings(_ bookings: [HotelBooking]) async throws

    // Overbooking: a lowered total can leave nights with more rooms sold than exist.

    /// Nights with rooms sold beyond their total and beyond the bookings already escalated, earliest first.
    func overbookedNights(limit: Int) async throws -> [OverbookedNight]
    /// CONFIRMED bookings holding rooms of the type on `night`, newest first.
    func confirmedBookings(roomTypeId: UUID, night: CalendarDate) async throws -> [HotelBooking]
    /// In one transaction, and only while `night` of the booking's room type is still overbooked: moves the
    /// confirmed `booking` for its whole stay to `roomType` (same price), giving its old rooms back and taking
    /// the new ones only where free, and records HotelBookingReassigned. False, having changed nothing, otherwise.
    func reassignHotelBooking(_ booking: HotelBooking, to roomType: RoomType, overbooked night: CalendarDate, now: Date) async throws -> Bool
    /// Marks the confirmed booking NEEDS_ATTENTION with `reason` (its rooms stay counted) and records the event,
    /// only while `night` of its room type is still overbooked. False, having changed nothing, otherwise.
    func escalateHotelBooking(_ bookingId: UUID, overbooked night: CalendarDate, reason: String, now: Date) async throws -> Bool
    /// Confirms a NEEDS_ATTENTION booking again when every night of its stay has room for it beside the
    /// confirmed bookings (inventory was raised or others cancelled). False, having changed nothing, otherwise.
    func restoreHotelBooking(_ bookingId: UUID, now: Date) async throws -> Bool
}
