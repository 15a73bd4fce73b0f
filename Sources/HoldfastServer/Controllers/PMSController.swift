import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Inbound calls from a hotel's property management system, signed with the secret of the hotel's PMS
/// webhook subscription (`SignedRequest`). An inventory push takes the admin's path, so a lowered total
/// is settled by the overbooking watch like any other change.
struct PMSController {
    let hotels: HotelService
    let maxBodyBytes: Int

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.put("pms/hotels/:hotelId/inventory", use: pushInventory)
    }

    @Sendable func pushInventory(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let hotelId = try context.parameters.id("hotelId")
        let body = try await request.collectBody(limit: maxBodyBytes)
        guard let pms = try await hotels.stores.webhooks().first(where: { $0.hotelId == hotelId && $0.active }) else {
            throw HoldfastError.badWebhookSignature
        }
        try SignedRequest.verify(request, body: body, secret: pms.secret, now: hotels.clock.now())
        let input = try JSON.decode(InventoryInput.self, from: body)
        guard let roomTypeId = input.roomTypeId else { throw HoldfastError.invalid("roomTypeId is required") }
        guard let roomType = try await hotels.stores.roomType(roomTypeId), roomType.hotelId == hotelId else { throw HoldfastError.notFound("Room type") }
        let nights = try await hotels.setInventory(roomTypeId: roomTypeId, from: input.from, to: input.to, total: input.total, rate: input.rate)
        return try JSONReply(["nights": nights])
    }
}
