import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// The hotel guest's pages: search with prices (rendered on the server), booking and the guest's bookings
/// (through the JSON API from the page's script, with the signed-in user's credentials).
struct HotelPagesController {
    let pages: Pages
    let hotels: HotelService

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("hotels", use: search)
        router.get("my/bookings", use: bookings)
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let tomorrow = CalendarDate(hotels.clock.now(), in: .gmt).adding(days: 1)
        let checkIn = query["checkIn"].flatMap { try? CalendarDate(String($0)) } ?? tomorrow
        let checkOut = query["checkOut"].flatMap { try? CalendarDate(String($0)) } ?? checkIn.adding(days: 1)
        let guests = query["guests"].flatMap { Int(String($0)) } ?? 2
        let rooms = query["rooms"].flatMap { Int(String($0)) } ?? 1
        let city = query["city"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        var page: [String: Any] = [
            "title": "Hotels", "city": city, "checkIn": checkIn.description, "checkOut": checkOut.description, "guests": guests, "rooms": rooms,
            "cities": DemoHotels.cityNames, "searched": false,
        ]
        guard !city.isEmpty else { return pages.render("hotels", page) }
        do {
            let stay = try StayDates(checkIn: checkIn, checkOut: checkOut)
            let found = try await hotels.search(HotelSearch(
                city: city, stay: stay, guests: guests, rooms: rooms, sort: .price, near: nil, page: PageRequest(pageSize: PageRequest.maxPageSize)))
            page["searched"] = true
            page["summary"] = found.items.isEmpty ? false : "\(found.total) room types free, cheapest first."
            page["results"] = found.items.map { result -> [String: Any] in
                [
                    "roomTypeId": result.roomType.roomTypeId.uuidString, "hotelName": result.hotel.name, "address": result.hotel.address ?? result.hotel.city,
                    "roomTypeName": result.roomType.name, "occupancy": result.roomType.occupancy, "available": result.available,
                    "totalPrice": result.totalPrice.text, "nights": stay.nights.count, "checkIn": checkIn.description,
                    "checkOut": checkOut.description, "guests": guests, "rooms": rooms,
                ]
            }
        } catch let error as HoldfastError {
            page["error"] = error.message
        }
        return pages.render("hotels", page, status: page["error"] == nil ? .ok : .badRequest)
    }

    @Sendable func bookings(_ request: Request, context: AppRequestContext) async throws -> Response {
        pages.render("bookings", ["title": "My hotel bookings"])
    }
}
