import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// A customer's place on a sold-out show's waiting list.
struct WaitlistController {
    let waitlist: WaitlistService
    let maxBodyBytes: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("shows/:showId/waitlist", use: join)
        router.get("shows/:showId/waitlist", use: mine)
        router.delete("shows/:showId/waitlist", use: leave)
    }

    struct JoinRequest: Decodable {
        let quantity: Int
        let email: String
    }

    struct EntryResponse: Encodable {
        let entryId: UUID
        let showId: UUID
        let quantity: Int
        let status: WaitlistStatus
        /// 1 for the first in line; nil once an offer is made or the entry is over.
        let position: Int?
        let holdId: UUID?
        let offerExpiresAt: Date?
        let createdAt: Date

        init(_ entry: WaitlistEntry, ahead: Int?) {
            entryId = entry.entryId
            showId = entry.showId
            quantity = entry.quantity
            status = entry.status
            position = entry.status == .waiting ? ahead.map { $0 + 1 } : nil
            holdId = entry.holdId
            offerExpiresAt = entry.offerExpiresAt
            createdAt = entry.createdAt
        }
    }

    @Sendable func join(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let input = try await request.decodeJSON(as: JoinRequest.self, limit: maxBodyBytes)
        let (entry, ahead) = try await waitlist.join(
            showId: try context.parameters.id("showId"), userId: identity.userId, quantity: input.quantity, email: input.email)
        return try JSONReply(status: .created, EntryResponse(entry, ahead: ahead))
    }

    @Sendable func mine(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        guard let (entry, ahead) = try await waitlist.booking.stores.waitlistEntry(showId: try context.parameters.id("showId"), userId: identity.userId)
        else { throw HoldfastError.notFound("Waiting list entry") }
        return try JSONReply(EntryResponse(entry, ahead: ahead))
    }

    @Sendable func leave(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let entry = try await waitlist.booking.stores.leaveWaitlist(
            showId: try context.parameters.id("showId"), userId: identity.userId, now: waitlist.booking.clock.now())
        return try JSONReply(EntryResponse(entry, ahead: nil))
    }
}
