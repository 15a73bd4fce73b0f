import AsyncHTTPClient
import Foundation
import HoldfastCore
import HoldfastStore
import HoldfastWorkers
import HummingbirdTesting
import Logging
import Testing

@Suite struct OutboxAdminRoutesTests {
    static let client = WebhookHTTPClient.make(connect: .milliseconds(200))

    static func dispatcher(_ app: TestApp, maxAttempts: Int = 1) -> OutboxDispatcher {
        var settings = OutboxDispatcher.Settings()
        settings.retry = RetryPolicy(maxAttempts: maxAttempts)
        let stores = app.dependencies.stores
        return OutboxDispatcher(
            stores: stores, subscribers: [Notifier(stores: stores, sender: DevMailbox(store: stores), clock: app.clock)],
            httpClient: client, breakers: CircuitBreakers(clock: app.clock), clock: app.clock, settings: settings,
            logger: Logger(label: "test"))
    }

    @Test func webhookSubscriptionsAreValidatedAndTheirSecretShownOnce() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            for body in [#"{"url":"ftp://x/y","eventTypes":["*"]}"#, #"{"url":"http://127.0.0.1/h","eventTypes":[]}"#,
                         #"{"url":"http://127.0.0.1/h","eventTypes":["Nope"]}"#, #"{"url":"http://127.0.0.1/h","eventTypes":["*"],"secret":"short"}"#] {
                #expect(try await client.call(.post, "/admin/webhooks", bearer: admin, json: body).status == .badRequest, "\(body)")
            }
            let created = try await client.call(.post, "/admin/webhooks", bearer: admin, json: #"{"url":"http://127.0.0.1:9/h","eventTypes":["OrderConfirmed","HoldCreated"]}"#)
            #expect(created.status == .created)
            let id = try #require(try created.json["subscriptionId"]?.string)
            #expect(try (created.json["secret"]?.string?.count ?? 0) >= 32)
            let listed = try await client.call(.get, "/admin/webhooks", bearer: admin).json["webhooks"]?.array ?? []
            #expect(listed.count == 1 && listed[0]["secret"] == nil && listed[0]["eventTypes"]?.strings == ["HoldCreated", "OrderConfirmed"])
            #expect(try await client.call(.get, "/admin/webhooks", user: "alice").status == .forbidden)
            #expect(try await client.call(.delete, "/admin/webhooks/\(id)", bearer: admin).status == .noContent)
            #expect(try await client.call(.delete, "/admin/webhooks/\(id)", bearer: admin).status == .notFound)
        }
    }

    @Test func deadLettersAreListedAndReplayed() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            _ = try await client.call(.post, "/admin/webhooks", bearer: admin, json: #"{"url":"http://127.0.0.1:1/unreachable","eventTypes":["HoldCreated"]}"#)
            #expect(try await client.hold(app, ["A1"], user: "alice").status == .created)
            try await Self.dispatcher(app).tick()
            let dead = try await client.call(.get, "/admin/outbox/dead-letters", bearer: admin).json
            let letter = try #require(dead["deliveries"]?[0])
            #expect(dead["total"]?.int == 1 && letter["event"]?["type"]?.string == "HoldCreated" && letter["attempts"]?.int == 1)
            #expect(letter["event"]?["payload"]?["seatIds"]?.strings == ["A1"])
            let seq = try #require(letter["seq"]?.int)
            let subscriber = try #require(letter["subscriber"]?.string)
            #expect(try await client.call(.get, "/admin/outbox", bearer: admin).json["dead"]?.int == 1)

            let replay = try await client.call(.post, "/admin/outbox/dead-letters/replay", bearer: admin, json: #"{"seq":\#(seq),"subscriber":"\#(subscriber)"}"#)
            #expect(replay.status == .ok)
            #expect(try await client.call(.get, "/admin/outbox", bearer: admin).json["pending"]?.int == 1)
            let again = try await client.call(.post, "/admin/outbox/dead-letters/replay", bearer: admin, json: #"{"seq":\#(seq),"subscriber":"\#(subscriber)"}"#)
            #expect(again.status == .notFound)
            try await Self.dispatcher(app).tick()
            let all = try await client.call(.post, "/admin/outbox/dead-letters/replay-all", bearer: admin)
            #expect(try all.json["replayed"]?.int == 1)
        }
    }

    @Test func theMailboxAndAnAggregatesHistory() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            let holdId = try #require(try await client.hold(app, ["B2"], user: "alice").json["holdId"]?.string)
            let orderId = try #require(try await client.order(holdId: holdId, user: "alice").json["orderId"]?.string)
            let ticket = try await client.call(.post, "/orders/\(orderId)/confirm-payment", user: "alice").json["ticketCode"]?.string
            try await Self.dispatcher(app).tick()
            let box = try await client.call(.get, "/admin/mailbox", bearer: admin).json
            #expect(box["total"]?.int == 1 && box["messages"]?[0]?["body"]?.string?.contains(ticket ?? "?") == true)
            let history = try await client.call(.get, "/admin/events?aggregateType=order&aggregateId=\(orderId)", bearer: admin).json
            #expect(history["events"]?.array.compactMap { $0["type"]?.string } == ["OrderCreated", "PaymentInitiated", "PaymentSucceeded", "OrderConfirmed"])
            #expect(try await client.call(.get, "/admin/events?aggregateType=order", bearer: admin).status == .badRequest)
        }
    }
}
