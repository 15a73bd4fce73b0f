import AsyncHTTPClient
import Foundation
import HoldfastCore
import HoldfastWorkers
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@Suite struct PaymentRoutesTests {
    static func order(_ client: any TestClientProtocol, _ app: TestApp, seat: String, user: String = "alice") async throws -> String {
        let holdId = try #require(try await client.hold(app, [seat], user: user).json["holdId"]?.string)
        return try #require(try await client.order(holdId: holdId, user: user).json["orderId"]?.string)
    }

    static func pay(_ client: any TestClientProtocol, _ orderId: String, token: String, user: String = "alice") async throws -> TestResponse {
        try await client.call(.post, "/orders/\(orderId)/confirm-payment", user: user, json: #"{"paymentToken":"\#(token)"}"#)
    }

    /// A webhook as the gateway signs it.
    static func webhook(
        _ client: any TestClientProtocol, _ body: String, secret: String = TestApp.paymentSecret, at time: Date
    ) async throws -> TestResponse {
        try await client.signedCall(.post, "/payments/webhook", json: body, secret: secret, at: time)
    }

    @Test func aDeclinedPaymentLeavesTheOrderPendingAndASecondCardPays() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let orderId = try await Self.order(client, app, seat: "A1")
            let declined = try await Self.pay(client, orderId, token: "tok_decline")
            #expect(declined.status.code == 402 && declined.errorCode == "PAYMENT_DECLINED")
            #expect(try await client.call(.get, "/orders/\(orderId)", user: "alice").json["status"]?.string == "PAYMENT_PENDING")
            #expect(try await client.hold(app, ["A1"], user: "bob").status == .conflict, "seats stay with the pending order")
            let paid = try await Self.pay(client, orderId, token: "tok_success")
            #expect(try paid.status == .ok && (paid.json["status"]?.string) == "CONFIRMED")
            #expect(try paid.json["payment"]?["status"]?.string == "SUCCEEDED")
            // Paying again is harmless: the order is returned, nothing is charged.
            let again = try await Self.pay(client, orderId, token: "tok_success")
            #expect(try again.status == .ok && (again.json["ticketCode"]?.string) == (paid.json["ticketCode"]?.string) && (again.json["payment"]) == nil)
            #expect(try await Self.pay(client, orderId, token: "tok_stolen").errorCode == "INVALID_PAYMENT_TOKEN")
        }
    }

    @Test func aTimedOutPaymentIsSettledByTheSignedWebhookOnce() async throws {
        let app = try await TestApp.make(paymentTimeout: .milliseconds(50))
        try await app.test { (client) async throws in
            let orderId = try await Self.order(client, app, seat: "B1")
            let processing = try await Self.pay(client, orderId, token: "tok_timeout")
            #expect(try processing.status == .accepted && (processing.json["status"]?.string) == "PAYMENT_PENDING")
            let paymentId = try #require(try processing.json["payment"]?["paymentId"]?.string)
            #expect(try processing.json["payment"]?["status"]?.string == "PROCESSING")

            let body = #"{"paymentId":"\#(paymentId)","status":"succeeded"}"#
            let now = app.clock.now()
            #expect(try await Self.webhook(client, body, secret: "not-the-secret-not-the-secret-32b", at: now).status == .unauthorized)
            #expect(try await Self.webhook(client, body, at: now.addingTimeInterval(-301)).status == .unauthorized)
            let settled = try await Self.webhook(client, body, at: now)
            #expect(try settled.status == .ok && (settled.json["orderStatus"]?.string) == "CONFIRMED")
            let order = try await client.call(.get, "/orders/\(orderId)", user: "alice").json
            let ticket = try #require(order["ticketCode"]?.string)
            // A replayed webhook, or a contradicting one, changes nothing.
            #expect(try await Self.webhook(client, body, at: now).json["orderStatus"]?.string == "CONFIRMED")
            #expect(try await Self.webhook(client, #"{"paymentId":"\#(paymentId)","status":"declined"}"#, at: now).json["paymentStatus"]?.string == "SUCCEEDED")
            #expect(try await client.call(.get, "/orders/\(orderId)", user: "alice").json["ticketCode"]?.string == ticket)
            #expect(try await Self.webhook(client, #"{"paymentId":"\#(UUID())","status":"succeeded"}"#, at: now).status == .notFound)
        }
    }

    @Test func theSimulatedGatewayConfirmsThroughItsWebhookOverHTTP() async throws {
        let app = try await TestApp.make(paymentTimeout: .milliseconds(50))
        let http = WebhookHTTPClient.make()
        try await app.test(.live) { (client) async throws in
            let orderId = try await Self.order(client, app, seat: "C1")
            #expect(try await Self.pay(client, orderId, token: "tok_timeout").status == .accepted)
            let stores = app.dependencies.stores
            let callbacks = SimulatedGatewayCallbacks(
                stores: stores, gateway: app.dependencies.payments.gateway, client: http,
                callbackURL: "http://127.0.0.1:\(client.port!)/payments/webhook", secret: TestApp.paymentSecret, clock: app.clock)
            let dispatcher = OutboxDispatcher(
                stores: stores, subscribers: [callbacks], httpClient: http, breakers: CircuitBreakers(clock: app.clock), clock: app.clock,
                logger: Logger(label: "test"))
            #expect(try await dispatcher.tick() == 1)
            let order = try await client.call(.get, "/orders/\(orderId)", user: "alice").json
            #expect(order["status"]?.string == "CONFIRMED" && order["ticketCode"]?.string != nil)
        }
        try await http.shutdown()
    }

    @Test func aLatePaymentForAnExpiredOrderDoesNotBookSeatsSomeoneElseHas() async throws {
        let app = try await TestApp.make(paymentTimeout: .milliseconds(50))
        try await app.test { (client) async throws in
            let orderId = try await Self.order(client, app, seat: "D1")
            let paymentId = try #require(try await Self.pay(client, orderId, token: "tok_timeout").json["payment"]?["paymentId"]?.string)
            app.clock.advance(by: 300)
            #expect(try await client.hold(app, ["D1"], user: "bob").status == .created)
            let late = try await Self.webhook(client, #"{"paymentId":"\#(paymentId)","status":"succeeded"}"#, at: app.clock.now())
            #expect(try late.status == .ok && (late.json["orderStatus"]?.string) == "EXPIRED" && (late.json["paymentStatus"]?.string) == "SUCCEEDED")
            let map = try await client.call(.get, "/shows/\(app.show.showId)/seatmap", user: "bob").json
            #expect(map["seats"]?.array.first { $0["id"]?.string == "D1" }?["mine"]?.bool == true)
        }
    }
}
