import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Seed 002 for staff: hotels, room types, inventory, rooms out of service, and bookings that need attention.
struct HotelAdminController {
    let hotels: HotelService
    let maxBodyBytes: Int

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let admin = router.group("admin").add(middleware: RequireAdminMiddleware())
        admin.post("hotels", use: createHotel)
        admin.post("hotels/:hotelId/room-types", use: createRoomType)
        admin.put("room-types/:roomTypeId/inventory", use: setInventory)
        admin.post("room-types/:roomTypeId/rooms", use: addRooms)
        admin.get("room-types/:roomTypeId/rooms", use: rooms)
        admin.post("rooms/:roomId/out-of-service", use: outOfService)
        admin.post("room-outages/:outageId/end", use: endOutage)
        admin.get("hotel-bookings", use: adminBookings)
        admin.get("hotel-bookings/:bookingId", use: adminBooking)
        admin.post("hotel-bookings/:bookingId/cancel", use: adminCancel)
    }

    @Sendable func addRooms(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: RoomsInput.self, limit: maxBodyBytes)
        return try JSONReply(status: .created, ["rooms": try await hotels.addRooms(roomTypeId: try context.parameters.id("roomTypeId"), numbers: input.numbers)])
    }

    @Sendable func rooms(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let roomTypeId = try context.parameters.id("roomTypeId")
        guard try await hotels.stores.roomType(roomTypeId) != nil else { throw HoldfastError.notFound("Room type") }
        return try JSONReply(RoomsResponse(rooms: try await hotels.stores.rooms(roomTypeId: roomTypeId), outages: try await hotels.stores.outages(roomTypeId: roomTypeId)))
    }

    @Sendable func outOfService(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: OutageInput.self, limit: maxBodyBytes)
        let outage = try await hotels.takeOutOfService(roomId: try context.parameters.id("roomId"), from: input.from, to: input.to, reason: input.reason)
        return try JSONReply(status: .created, outage)
    }

    @Sendable func endOutage(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        try JSONReply(try await hotels.stores.endOutage(try context.parameters.id("outageId"), now: hotels.clock.now()))
    }

    @Sendable func adminBookings(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let query = try request.queryParameters(allowed: ["status", "page", "pageSize"])
        guard let status = HotelBookingStatus(rawValue: query["status"] ?? HotelBookingStatus.needsAttention.rawValue) else {
            throw HoldfastError.invalid("status is one of \(HotelBookingStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let page = try await hotels.stores.hotelBookings(status: status, page: try RequestParameters.page(query))
        return try JSONReply(PageReply("bookings", page))
    }

    @Sendable func adminBooking(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        try JSONReply(try await hotels.stores.hotelBooking(try context.parameters.id("bookingId"), userId: nil))
    }

    @Sendable func adminCancel(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        try JSONReply(try await hotels.cancel(try context.parameters.id("bookingId"), userId: nil))
    }

    @Sendable func createHotel(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: HotelInput.self, limit: maxBodyBytes)
        let hotel = Hotel(
            hotelId: UUID(), name: input.name, city: input.city, address: input.address, geoLat: input.geoLat, geoLng: input.geoLng,
            createdAt: hotels.clock.now())
        try hotel.validate()
        try await hotels.stores.saveHotel(hotel)
        return try JSONReply(status: .created, hotel)
    }

    @Sendable func createRoomType(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: RoomTypeInput.self, limit: maxBodyBytes)
        let hotelId = try context.parameters.id("hotelId")
        guard try await hotels.stores.hotel(hotelId) != nil else { throw HoldfastError.notFound("Hotel") }
        let roomType = RoomType(roomTypeId: UUID(), hotelId: hotelId, name: input.name, occupancy: input.occupancy, rate: input.rate, createdAt: hotels.clock.now())
        try roomType.validate()
        try await hotels.stores.saveRoomType(roomType)
        return try JSONReply(status: .created, roomType)
    }

    @Sendable func setInventory(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let roomTypeId = try context.parameters.id("roomTypeId")
        let input = try await request.decodeJSON(as: InventoryInput.self, limit: maxBodyBytes)
        return try JSONReply(["nights": try await hotels.setInventory(roomTypeId: roomTypeId, from: input.from, to: input.to, total: input.total, rate: input.rate)])
    }
}
