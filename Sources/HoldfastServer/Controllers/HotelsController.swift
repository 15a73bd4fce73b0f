import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Seed 002 for guests: hotel search, `POST /book`, and the guest's own bookings.
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
        return try JSONReply(PageReply("bookings", page))
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
}
