import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// The door: an usher (or admin) scans a ticket code; it gets in once.
struct CheckInController {
    let stores: any HoldfastStores
    let clock: any BookingClock
    let maxBodyBytes: Int

    struct CheckInRequest: Decodable {
        let ticketCode: String
        let door: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("checkin", use: checkIn)
    }

    @Sendable func checkIn(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let usher = try context.requireUsher()
        let input = try await request.decodeJSON(as: CheckInRequest.self, limit: maxBodyBytes)
        let code = input.ticketCode.trimmingCharacters(in: .whitespaces).uppercased()
        try CheckIn.validate(ticketCode: code, door: input.door)
        return try JSONReply(try await stores.checkIn(ticketCode: code, by: usher.userId, door: input.door, now: clock.now()))
    }
}
