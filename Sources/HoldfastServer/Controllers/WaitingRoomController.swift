import Foundation
import HoldfastCore
import HoldfastStore
import HTTPTypes
import Hummingbird

/// On-sale waiting rooms: admins open one for a high-demand show; buyers join, poll their place, and on
/// admission get a signed token that hold creation then requires (`WaitingRoomGate`).
struct WaitingRoomController {
    let stores: any HoldfastStores
    let clock: any BookingClock
    let admissions: AdmissionTokens
    let maxBodyBytes: Int

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("shows/:showId/queue", use: join)
        router.get("shows/:showId/queue", use: place)
        let admin = router.group("admin/shows").add(middleware: RequireAdminMiddleware())
        admin.put(":showId/waiting-room", use: open)
        admin.delete(":showId/waiting-room", use: close)
    }

    struct RoomRequest: Decodable {
        let admissionsPerMinute: Int
        let tokenMinutes: Int?
    }

    struct PlaceResponse: Encodable {
        let showId: UUID
        /// 0 once admitted; else 1 for the next one in.
        let position: Int
        let admitted: Bool
        let admitAt: Date
        let estimatedWaitSeconds: Int
        /// When to ask again.
        let pollAfterSeconds: Int
        /// Send as `Admission-Token` when creating a hold; only once admitted.
        let admissionToken: String?
        let admissionExpiresAt: Date?
    }

    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: RoomRequest.self, limit: maxBodyBytes)
        let showId = try context.parameters.id("showId")
        try WaitingRoom.validate(admissionsPerMinute: input.admissionsPerMinute, tokenMinutes: input.tokenMinutes ?? 10)
        guard try await stores.show(showId) != nil else { throw HoldfastError.notFound("Show") }
        return try JSONReply(try await stores.setWaitingRoom(
            showId: showId, admissionsPerMinute: input.admissionsPerMinute, tokenMinutes: input.tokenMinutes ?? 10, now: clock.now()))
    }

    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await stores.removeWaitingRoom(showId: try context.parameters.id("showId")) else { throw HoldfastError.noWaitingRoom }
        return Response(status: .noContent)
    }

    @Sendable func join(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let showId = try context.parameters.id("showId")
        guard let room = try await stores.waitingRoom(showId: showId) else { throw HoldfastError.noWaitingRoom }
        let ticket = try await stores.enqueue(showId: showId, userId: identity.userId, now: clock.now())
        return try JSONReply(try await answer(ticket, room: room))
    }

    @Sendable func place(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let showId = try context.parameters.id("showId")
        guard let room = try await stores.waitingRoom(showId: showId) else { throw HoldfastError.noWaitingRoom }
        guard let ticket = try await stores.queueTicket(showId: showId, userId: identity.userId) else {
            throw HoldfastError(.notFound, code: "NOT_IN_QUEUE", message: "You have not joined this show's waiting room")
        }
        return try JSONReply(try await answer(ticket, room: room))
    }

    private func answer(_ ticket: QueueTicket, room: WaitingRoom) async throws -> PlaceResponse {
        let now = clock.now()
        let wait = max(0, ticket.admitAt.timeIntervalSince(now))
        var token: String?
        var expires: Date?
        if ticket.isAdmitted(at: now) {
            let until = now.addingTimeInterval(Double(room.tokenMinutes) * 60)
            token = try await admissions.sign(showId: ticket.showId, userId: ticket.userId, expiresAt: until)
            expires = until
        }
        return PlaceResponse(
            showId: ticket.showId, position: ticket.position(at: now, interval: room.interval), admitted: token != nil,
            admitAt: ticket.admitAt, estimatedWaitSeconds: Int(wait.rounded(.up)),
            pollAfterSeconds: token != nil ? 0 : Int(min(30, max(1, wait / 2)).rounded(.up)), admissionToken: token, admissionExpiresAt: expires)
    }
}

/// Hold creation for a show with a waiting room needs the caller's admission token (`Admission-Token`).
struct WaitingRoomGate: Sendable {
    let admissions: AdmissionTokens
    let clock: any BookingClock

    /// The check a hold runs when its show has a waiting room: the request must carry the buyer's admission token.
    func admission(_ request: Request, showId: UUID, userId: String) -> BookingService.Admission {
        let token = request.headers[.admissionToken]
        return { [admissions, clock] in
            guard let token else { throw HoldfastError.admissionRequired(showId) }
            try await admissions.verify(token, showId: showId, userId: userId, now: clock.now())
        }
    }
}

extension HTTPField.Name {
    static var admissionToken: Self { Self("Admission-Token")! }
}
