import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Seed 002: hotel search, `POST /book`, the guest's bookings, and admin inventory management.
struct HotelsController {
    let hotels: HotelService
    let idempotency: IdempotencyGate
    let maxBodyBytes: Int

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("hotels/search", use: search)
        router.get("hotels/:hotelId", use: hotel)
        router.post("book", use: book)
        router.get("bookings", use: bookings)
        router.get("bookings/:bookingId", use: booking)
        router.post("bookings/:bookingId/cancel", use: cancel)
        router.put("bookings/:bookingId/dates", use: changeDates)
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

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let query = try request.queryParameters(allowed: ["city", "checkIn", "checkOut", "guests", "rooms", "sort", "lat", "lng", "page", "pageSize"])
        guard let city = try RequestParameters.text(query, "city", max: 100), let checkIn = query["checkIn"], let checkOut = query["checkOut"] else {
            throw HoldfastError.invalid("city, checkIn and checkOut are required")
        }
        let stay = try StayDates(checkIn: try CalendarDate(checkIn), checkOut: try CalendarDate(checkOut))
        guard let sort = HotelSearch.Sort(rawValue: query["sort"] ?? "price") else { throw HoldfastError.invalid("sort is price or distance") }
        var near: (lat: Double, lng: Double)?
        if let lat = query["lat"], let lng = query["lng"] {
            guard let la = Double(lat), let lo = Double(lng), (-90...90).contains(la), (-180...180).contains(lo) else {
                throw HoldfastError.invalid("lat and lng must be coordinates")
            }
            near = (la, lo)
        }
        let page = try await hotels.search(HotelSearch(
            city: city, stay: stay, guests: try RequestParameters.int(query["guests"], field: "guests", range: 1...200) ?? 1,
            rooms: try RequestParameters.int(query["rooms"], field: "rooms", range: 1...HotelService.maxRoomsPerBooking) ?? 1,
            sort: sort, near: near, page: try RequestParameters.page(query)))
        return try JSONReply(HotelSearchResponse(
            checkIn: stay.checkIn, checkOut: stay.checkOut, nights: stay.nights.count, results: page.items.map(HotelResultResponse.init),
            page: page.page, pageSize: page.pageSize, total: page.total))
    }

    @Sendable func hotel(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        guard let hotel = try await hotels.stores.hotel(try context.parameters.id("hotelId")) else { throw HoldfastError.notFound("Hotel") }
        return try JSONReply(hotel)
    }

    @Sendable func book(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireUser()
        let body = try await request.collectBody(limit: maxBodyBytes)
        return try await idempotency.run(request, body: body, identity: identity) {
            let input = try JSON.decode(BookRequest.self, from: body)
            let booking = try await hotels.book(
                userId: identity.userId, roomTypeId: try RequestParameters.uuid(input.roomTypeId, field: "roomTypeId"),
                stay: try StayDates(checkIn: input.checkIn, checkOut: input.checkOut), rooms: input.rooms ?? 1, guests: input.guests ?? 1,
                guest: input.guest)
            return try JSONReply(status: .created, booking)
        }
    }

    @Sendable func bookings(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let page = try await hotels.stores.hotelBookings(userId: identity.userId, page: try RequestParameters.page(try request.queryParameters(allowed: ["page", "pageSize"])))
        return try JSONReply(HotelBookingsResponse(bookings: page.items, page: page.page, pageSize: page.pageSize, total: page.total))
    }

    @Sendable func booking(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        return try JSONReply(try await hotels.stores.hotelBooking(try context.parameters.id("bookingId"), userId: identity.userId))
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        return try JSONReply(try await hotels.cancel(try context.parameters.id("bookingId"), userId: identity.userId))
    }

    @Sendable func changeDates(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let input = try await request.decodeJSON(as: DatesRequest.self, limit: maxBodyBytes)
        let stay = try StayDates(checkIn: input.checkIn, checkOut: input.checkOut)
        return try JSONReply(try await hotels.changeDates(try context.parameters.id("bookingId"), userId: identity.userId, stay: stay))
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
        return try JSONReply(HotelBookingsResponse(bookings: page.items, page: page.page, pageSize: page.pageSize, total: page.total))
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
        let hotelId = try context.parameters.id("hotelId")
        guard try await hotels.stores.hotel(hotelId) != nil else { throw HoldfastError.notFound("Hotel") }
        let input = try await request.decodeJSON(as: RoomTypeInput.self, limit: maxBodyBytes)
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

struct HotelBookingsResponse: Encodable {
    let bookings: [HotelBooking]
    let page: Int
    let pageSize: Int
    let total: Int
}
