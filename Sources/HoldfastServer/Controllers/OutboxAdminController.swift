import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

/// Admin view of the outbox: backlog, dead letters and their replay, an aggregate's event history,
/// webhook subscriptions and the dev mailbox.
struct OutboxAdminController {
    let stores: any HoldfastStores
    let clock: any BookingClock
    let maxBodyBytes: Int

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let admin = router.group("admin").add(middleware: RequireAdminMiddleware())
        admin.get("outbox", use: backlog)
        admin.get("outbox/dead-letters", use: deadLetters)
        admin.post("outbox/dead-letters/replay", use: replay)
        admin.post("outbox/dead-letters/replay-all", use: replayAll)
        admin.get("events", use: events)
        admin.get("webhooks", use: webhooks)
        admin.post("webhooks", use: createWebhook)
        admin.delete("webhooks/:subscriptionId", use: deleteWebhook)
        admin.get("mailbox", use: mailbox)
    }

    @Sendable func backlog(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let backlog = try await stores.outboxBacklog()
        return try JSONReply(
            BacklogResponse(unfanned: backlog.unfanned, pending: backlog.pending, dead: backlog.dead, oldestPendingSince: backlog.oldestPendingSince))
    }

    @Sendable func deadLetters(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let page = try RequestParameters.page(try request.queryParameters(allowed: ["page", "pageSize"]))
        let dead = try await stores.deliveries(status: .dead, page: page)
        return try JSONReply(try PageReply("deliveries", dead, DeliveryResponse.init))
    }

    @Sendable func replay(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: ReplayRequest.self, limit: maxBodyBytes)
        guard try await stores.replayDelivery(seq: input.seq, subscriber: input.subscriber, now: clock.now()) else {
            throw HoldfastError.notFound("Dead letter")
        }
        return try JSONReply(["replayed": 1])
    }

    @Sendable func replayAll(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        var replayed = 0
        while true {
            let dead = try await stores.deliveries(status: .dead, page: PageRequest(page: 1, pageSize: PageRequest.maxPageSize))
            if dead.items.isEmpty { break }
            for delivery in dead.items where try await stores.replayDelivery(seq: delivery.seq, subscriber: delivery.subscriber, now: clock.now()) {
                replayed += 1
            }
        }
        return try JSONReply(["replayed": replayed])
    }

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let query = try request.queryParameters(allowed: ["aggregateType", "aggregateId"])
        guard let type = try RequestParameters.text(query, "aggregateType", max: 32), let id = try RequestParameters.text(query, "aggregateId", max: 64) else {
            throw HoldfastError.invalid("aggregateType and aggregateId are required")
        }
        let events = try await stores.events(aggregateType: type, aggregateId: id.uppercased())
        return try JSONReply(["events": try events.map(EventResponse.init)])
    }

    @Sendable func webhooks(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        try JSONReply(["webhooks": try await stores.webhooks().map { WebhookResponse($0, revealSecret: false) }])
    }

    @Sendable func createWebhook(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let input = try await request.decodeJSON(as: WebhookRequest.self, limit: maxBodyBytes)
        if let hotelId = input.hotelId {
            guard try await stores.hotel(hotelId) != nil else { throw HoldfastError.notFound("Hotel") }
            guard try await !stores.webhooks().contains(where: { $0.hotelId == hotelId }) else {
                throw HoldfastError(.conflict, code: "PMS_EXISTS", message: "This hotel already has a PMS endpoint; delete it first")
            }
        }
        let subscription = WebhookSubscription(
            subscriptionId: UUID(), url: try input.validatedURL(), eventTypes: try input.validatedTypes(),
            secret: try input.validatedSecret(), hotelId: input.hotelId, createdAt: clock.now())
        try await stores.saveWebhook(subscription)
        return try JSONReply(status: .created, WebhookResponse(subscription, revealSecret: true))
    }

    @Sendable func deleteWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try await stores.deleteWebhook(try context.parameters.id("subscriptionId")) else { throw HoldfastError.notFound("Webhook") }
        return Response(status: .noContent)
    }

    @Sendable func mailbox(_ request: Request, context: AppRequestContext) async throws -> JSONReply {
        let page = try RequestParameters.page(try request.queryParameters(allowed: ["page", "pageSize"]))
        let box = try await stores.mailbox(page: page)
        return try JSONReply(PageReply("messages", box))
    }
}
