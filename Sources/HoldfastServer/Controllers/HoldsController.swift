import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird
import Metrics

/// Seat holds: create, read, change or extend, release. Only the holder sees a hold.
struct HoldsController {
    /// Made on first use, after the CLI has bootstrapped the metrics system.
    static let holdsCreated = Counter(label: "holdfast_holds_created_total")
    let booking: BookingService
    let idempotency: IdempotencyGate
    let waitingRoom: WaitingRoomGate
    let maxBodyBytes: Int
    /// When a hold the fast lane checked arrived (`HoldLane.arrival(in:)`).
    let lane: HoldLane

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.post("holds", use: create)
        router.get("holds/:holdId", use: get)
        router.put("holds/:holdId", use: update)
        router.delete("holds/:holdId", use: release)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireUser()
        let body = try await request.collectBody(limit: maxBodyBytes)
        return try await idempotency.run(request, body: body, identity: identity) {
            let asked = try JSON.decode(CreateHoldRequest.self, from: body).requested(policy: booking.policy)
            // The input is checked before the show is read, so bad requests cost no read; the show's snapshot
            // says whether it has a waiting room.
            let admission = waitingRoom.admission(request, showId: asked.showId, userId: identity.userId)
            let arrived = lane.arrival(in: request.headers)
            let hold = switch asked.seats {
            case .best(let best):
                try await booking.createBestAvailableHold(
                    showId: asked.showId, request: best, userId: identity.userId, admission: admission, arrivedAt: arrived)
            case .named(let seatIds, let quantity):
                try await booking.createHold(
                    showId: asked.showId, seatIds: seatIds, quantity: quantity, userId: identity.userId, admission: admission, arrivedAt: arrived)
            }
            Self.holdsCreated.increment()
            return try JSONReply(status: .created, HoldResponse(hold, now: booking.clock.now()))
        }
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let hold = try await booking.hold(try context.parameters.id("holdId"), userId: identity.userId)
        return try JSONReply(HoldResponse(hold, now: booking.clock.now()))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let holdId = try context.parameters.id("holdId")
        let input = try await request.decodeJSON(as: UpdateHoldRequest.self, limit: maxBodyBytes)
        let hold = try await booking.updateHold(
            holdId, userId: identity.userId, seatIds: input.seatIds, quantity: input.quantity, extend: input.extend ?? false)
        return try JSONReply(HoldResponse(hold, now: booking.clock.now()))
    }

    @Sendable func release(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let identity = try context.requireUser()
        let hold = try await booking.releaseHold(try context.parameters.id("holdId"), userId: identity.userId)
        return try JSONReply(HoldResponse(hold, now: booking.clock.now()))
    }
}
