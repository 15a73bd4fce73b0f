import Foundation
import HoldfastCore
import HummingbirdTesting
import Testing

@Suite struct OrderRoutesTests {
    @Test func theWholeFlowEndsInATicketAndBookedSeats() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let before = try await client.call(.get, "/shows/\(app.show.showId)/seatmap", user: "alice").json
            #expect(before["availableSeats"]?.int == 100)

            let holdId = try #require(try await client.hold(app, ["H4", "H5"], user: "alice").json["holdId"]?.string)
            let created = try await client.order(holdId: holdId, user: "alice")
            #expect(created.status == .created)
            let order = try created.json
            let orderId = try #require(order["orderId"]?.string)
            #expect(order["status"]?.string == "PAYMENT_PENDING" && order["amount"]?.double == 500)
            #expect(order["expiresAt"]?.string == "2027-01-15T08:05:00.000Z")
            #expect(order["customer"]?["email"]?.string == "asha@example.com")
            #expect(try await client.call(.get, "/holds/\(holdId)", user: "alice").json["status"]?.string == "CONVERTED")

            let paid = try await client.call(.post, "/orders/\(orderId)/confirm-payment", user: "alice")
            #expect(paid.status == .ok)
            let ticket = try #require(try paid.json["ticketCode"]?.string)
            #expect(TicketCode.isWellFormed(ticket))
            #expect(try paid.json["status"]?.string == "CONFIRMED")

            let after = try await client.call(.get, "/shows/\(app.show.showId)/seatmap", user: "alice").json
            let states = Dictionary(uniqueKeysWithValues: (after["seats"]?.array ?? []).map { ($0["id"]?.string ?? "", $0["state"]?.string ?? "") })
            #expect(states["H4"] == "booked" && states["H5"] == "booked" && states["H6"] == "available")

            let fetched = try await client.call(.get, "/orders/\(orderId)", user: "alice").json
            #expect(fetched["ticketCode"]?.string == ticket)
            let mine = try await client.call(.get, "/orders", user: "alice").json
            #expect(mine["orders"]?.array.compactMap { $0["orderId"]?.string } == [orderId] && mine["total"]?.int == 1)
            #expect(try await client.call(.get, "/orders", user: "bob").json["total"]?.int == 0)
        }
    }

    @Test func pendingSeatsAreTakenUntilThePaymentWindowCloses() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let holdId = try #require(try await client.hold(app, ["J1"], user: "alice").json["holdId"]?.string)
            let orderId = try #require(try await client.order(holdId: holdId, user: "alice").json["orderId"]?.string)
            app.clock.advance(by: 299)
            #expect(try await client.hold(app, ["J1"], user: "bob").status == .conflict)
            app.clock.advance(by: 1)
            #expect(try await client.call(.get, "/orders/\(orderId)", user: "alice").json["status"]?.string == "EXPIRED")
            let late = try await client.call(.post, "/orders/\(orderId)/confirm-payment", user: "alice")
            #expect(late.status == .gone && late.errorCode == "ORDER_EXPIRED")
            #expect(try await client.hold(app, ["J1"], user: "bob").status == .created)
        }
    }

    @Test func cancelFreesTheSeatsWhereAllowed() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let holdId = try #require(try await client.hold(app, ["B2"], user: "alice").json["holdId"]?.string)
            let orderId = try #require(try await client.order(holdId: holdId, user: "alice").json["orderId"]?.string)
            _ = try await client.call(.post, "/orders/\(orderId)/confirm-payment", user: "alice")
            #expect(try await client.call(.post, "/orders/\(orderId)/cancel", user: "mallory").status == .notFound)
            let cancelled = try await client.call(.post, "/orders/\(orderId)/cancel", user: "alice")
            #expect(try cancelled.json["status"]?.string == "CANCELLED")
            #expect(try await client.hold(app, ["B2"], user: "bob").status == .created)
        }
        let strict = try await TestApp.make(cancellation: false)
        try await strict.test { (client) async throws in
            let holdId = try #require(try await client.hold(strict, ["B2"], user: "alice").json["holdId"]?.string)
            let orderId = try #require(try await client.order(holdId: holdId, user: "alice").json["orderId"]?.string)
            let refused = try await client.call(.post, "/orders/\(orderId)/cancel", user: "alice")
            #expect(refused.status == .conflict && refused.errorCode == "CANCELLATION_NOT_ALLOWED")
        }
    }

    @Test func ordersAreValidatedAndPrivate() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let holdId = try #require(try await client.hold(app, ["C7"], user: "alice").json["holdId"]?.string)
            let badCustomers = [
                #"{"holdId":"\#(holdId)","customer":{"name":"","email":"a@example.com","phone":"9876543210"}}"#,
                #"{"holdId":"\#(holdId)","customer":{"name":"A","email":"nope","phone":"9876543210"}}"#,
                #"{"holdId":"\#(holdId)","customer":{"name":"A","email":"a@example.com","phone":"call me"}}"#,
                #"{"holdId":"\#(holdId)","customer":{"name":"A","email":"a@example.com"}}"#,
                #"{"holdId":"\#(holdId)"}"#,
                #"{"holdId":"123","customer":{"name":"A","email":"a@example.com","phone":"9876543210"}}"#,
            ]
            for body in badCustomers {
                #expect(try await client.call(.post, "/orders", user: "alice", json: body).status == .badRequest, "\(body)")
            }
            #expect(try await client.order(holdId: holdId, user: "mallory").status == .notFound)
            #expect(try await client.call(.get, "/holds/\(holdId)", user: "alice").json["status"]?.string == "HELD")
            let orderId = try #require(try await client.order(holdId: holdId, user: "alice").json["orderId"]?.string)
            #expect(try await client.call(.get, "/orders/\(orderId)", user: "mallory").status == .notFound)
            #expect(try await client.call(.post, "/orders/\(orderId)/confirm-payment", user: "mallory").status == .notFound)
            #expect(try await client.call(.get, "/orders?pageSize=500", user: "alice").status == .badRequest)
        }
    }
}
