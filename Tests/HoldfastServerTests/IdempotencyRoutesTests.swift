import Foundation
import HoldfastCore
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct IdempotencyRoutesTests {
    static let key = HTTPField.Name("Idempotency-Key")!

    @Test func aReplayReturnsTheFirstResponse() async throws {
        let app = try await TestApp.make()
        let body = #"{"showId":"\#(app.show.showId)","seatIds":["A1","A2"],"quantity":2}"#
        try await app.test { (client) async throws in
            let first = try await client.call(.post, "/holds", user: "alice", json: body, headers: [Self.key: "hold-1"])
            let again = try await client.call(.post, "/holds", user: "alice", json: body, headers: [Self.key: "hold-1"])
            #expect(first.status == .created && again.status == .created)
            #expect(try first.json["holdId"]?.string == again.json["holdId"]?.string)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let other = try await client.call(
                .post, "/holds", user: "alice", json: #"{"showId":"\#(app.show.showId)","seatIds":["A3"],"quantity":1}"#,
                headers: [Self.key: "hold-1"])
            #expect(other.status == .unprocessableContent && other.errorCode == "IDEMPOTENCY_KEY_REUSED")
            // The same key for another user is theirs alone.
            #expect(try await client.call(.post, "/holds", user: "bob", json: body, headers: [Self.key: "hold-1"]).status == .conflict)
        }
    }

    @Test func ordersAndPaymentsReplayToo() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let holdId = try #require(try await client.hold(app, ["B1"], user: "alice").json["holdId"]?.string)
            let orderBody = #"{"holdId":"\#(holdId)","customer":{"name":"Asha","email":"asha@example.com","phone":"9876543210"}}"#
            let first = try await client.call(.post, "/orders", user: "alice", json: orderBody, headers: [Self.key: "order-1"])
            let again = try await client.call(.post, "/orders", user: "alice", json: orderBody, headers: [Self.key: "order-1"])
            let orderId = try #require(try first.json["orderId"]?.string)
            #expect(try again.json["orderId"]?.string == orderId && again.status == .created)

            let paid = try await client.call(.post, "/orders/\(orderId)/confirm-payment", user: "alice", headers: [Self.key: "pay-1"])
            let repaid = try await client.call(.post, "/orders/\(orderId)/confirm-payment", user: "alice", headers: [Self.key: "pay-1"])
            #expect(try paid.json["ticketCode"]?.string == repaid.json["ticketCode"]?.string)
            let bad = try await client.call(.post, "/orders/\(orderId)/confirm-payment", user: "alice", headers: [Self.key: String(repeating: "k", count: 300)])
            #expect(bad.status == .badRequest)
        }
    }

    @Test func aRefusalIsReplayedAsARefusal() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            _ = try await client.hold(app, ["C1"], user: "bob")
            let body = #"{"showId":"\#(app.show.showId)","seatIds":["C1"],"quantity":1}"#
            let first = try await client.call(.post, "/holds", user: "alice", json: body, headers: [Self.key: "k"])
            let again = try await client.call(.post, "/holds", user: "alice", json: body, headers: [Self.key: "k"])
            #expect(first.status == .conflict && again.status == .conflict)
            #expect(first.body == again.body)
        }
    }
}
