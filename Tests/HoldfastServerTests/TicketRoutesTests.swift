import AsyncHTTPClient
import Foundation
import HoldfastCore
import HoldfastWorkers
import HummingbirdTesting
import Logging
import Testing

@Suite struct TicketRoutesTests {
    static func handlerDispatcher(_ app: TestApp) -> OutboxDispatcher {
        let stores = app.dependencies.stores
        return OutboxDispatcher(
            stores: stores, subscribers: [PriceChangeHandler(stores: stores, clock: app.clock)], httpClient: OutboxAdminRoutesTests.client,
            breakers: CircuitBreakers(clock: app.clock), clock: app.clock, logger: Logger(label: "test"))
    }

    @Test func ticketCrudAndThePriceChangeFlow() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            let created = try await client.call(.post, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"1-A9","Movie":"Avengers","Price":15.99}"#)
            #expect(created.status == .created)
            #expect(try created.json["Theatre-Seat"]?.string == "1-A9" && created.json["Price"]?.double == 15.99)
            #expect(try await client.call(.post, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"1-A9","Movie":"Avengers","Price":15.99}"#).errorCode == "TICKET_EXISTS")
            _ = try await client.call(.post, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"2-B1","Movie":"Dune","Price":12}"#)
            _ = try await client.call(.post, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"2-B2","Movie":"Dune","Price":12}"#)
            #expect(try await client.call(.get, "/tickets").json["count"]?.int == 3)
            #expect(try await client.call(.get, "/tickets/movies").json["movies"]?.strings == ["Avengers", "Dune"])

            let patched = try await client.call(.patch, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"1-A9","updateKey":"Price","updateValue":12.99}"#)
            #expect(try patched.status == .ok && (patched.json["Message"]?.string) == "SUCCESS")
            #expect(try patched.json["UpdatedAttributes"]?["Price"]?.double == 12.99)
            let events = try await app.dependencies.stores.events(aggregateType: "ticket", aggregateId: "1-A9")
            #expect(events.map(\.type) == ["PriceChangeInitiated"])

            // The handler adds the metadata and publishes PriceChangeProcessed, once, with no loop.
            let dispatcher = Self.handlerDispatcher(app)
            #expect(try await dispatcher.tick() == 1)
            #expect(try await dispatcher.tick() == 0)
            let ticket = try await client.call(.get, "/ticket?Theatre-Seat=1-A9").json
            #expect(ticket["PreviousPrice"]?.double == 15.99 && ticket["Price"]?.double == 12.99)
            #expect(ticket["DiscountPercentage"]?.double == 18.76 && ticket["IsDiscounted"]?.bool == true)
            #expect(ticket["LastPriceChangeTimestamp"]?.string == "2027-01-15T08:00:00.000Z")
            let after = try await app.dependencies.stores.events(aggregateType: "ticket", aggregateId: "1-A9").map(\.type)
            #expect(after == ["PriceChangeInitiated", "PriceChangeProcessed"])

            // A price rise is recorded but not a discount; other attributes change without events.
            _ = try await client.call(.patch, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"2-B1","updateKey":"Price","updateValue":14}"#)
            _ = try await client.call(.patch, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"2-B1","updateKey":"Movie","updateValue":"Dune: Part Two"}"#)
            try await dispatcher.tick()
            let raised = try await client.call(.get, "/ticket?Theatre-Seat=2-B1").json
            #expect(raised["IsDiscounted"]?.bool == false && raised["PreviousPrice"]?.double == 12 && raised["Movie"]?.string == "Dune: Part Two")
            #expect(try await app.dependencies.stores.events(aggregateType: "ticket", aggregateId: "2-B1").count == 2)

            let deleted = try await client.call(.delete, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"2-B2"}"#)
            #expect(deleted.status == .ok)
            #expect(try await client.call(.get, "/ticket?Theatre-Seat=2-B2").status == .notFound)
            #expect(try await client.call(.delete, "/ticket?Theatre-Seat=2-B2", bearer: admin).status == .notFound)
        }
    }

    @Test func ticketInputIsValidatedAndWritesNeedAdmin() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            #expect(try await client.call(.post, "/ticket", user: "alice", json: #"{"Theatre-Seat":"1-A1","Movie":"X","Price":1}"#).status == .forbidden)
            for body in [#"{"Movie":"X","Price":1}"#, #"{"Theatre-Seat":"bad seat!","Movie":"X","Price":1}"#,
                         #"{"Theatre-Seat":"1-A1","Movie":"X","Price":-1}"#, #"{"Theatre-Seat":"1-A1","Movie":"X"}"#,
                         #"{"Theatre-Seat":"1-A1","Movie":"X","Price":1,"IsDiscounted":true}"#, #"{"Theatre-Seat":"1-A1","Movie":"X","Price":{"a":1}}"#] {
                #expect(try await client.call(.post, "/ticket", bearer: admin, json: body).status == .badRequest, "\(body)")
            }
            _ = try await client.call(.post, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"1-A1","Movie":"X","Price":1}"#)
            for body in [#"{"Theatre-Seat":"1-A1","updateKey":"Price","updateValue":"cheap"}"#, #"{"Theatre-Seat":"1-A1","updateKey":"Theatre-Seat","updateValue":"2-A1"}"#,
                         #"{"Theatre-Seat":"1-A1","updateKey":"PreviousPrice","updateValue":3}"#, #"{"Theatre-Seat":"1-A1","updateKey":"Price"}"#] {
                #expect(try await client.call(.patch, "/ticket", bearer: admin, json: body).status == .badRequest, "\(body)")
            }
            #expect(try await client.call(.patch, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"9-Z9","updateKey":"Price","updateValue":3}"#).status == .notFound)
            #expect(try await client.call(.get, "/ticket").status == .badRequest)
            #expect(try await client.call(.get, "/ticket?Theatre-Seat=1-A1").json["Price"]?.double == 1)
        }
    }

    @Test func aShowPriceChangeGoesThroughTheSameFlow() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            #expect(try await client.hold(app, ["A1"], user: "alice").status == .created)  // sales do not block a price change
            let patched = try await client.call(.patch, "/admin/shows/\(app.show.showId)", bearer: admin, json: #"{"price":200}"#)
            #expect(try patched.status == .ok && (patched.json["price"]?.double) == 200)
            #expect(try await client.call(.patch, "/admin/shows/\(app.show.showId)", bearer: admin, json: #"{"startTime":"2027-02-01T10:00:00Z"}"#).errorCode == "SHOW_HAS_SALES")
            try await Self.handlerDispatcher(app).tick()
            let show = try await client.call(.get, "/shows/\(app.show.showId)").json
            #expect(show["priceChange"]?["previousPrice"]?.double == 250 && show["priceChange"]?["discountPercentage"]?.double == 20)
            #expect(show["priceChange"]?["isDiscounted"]?.bool == true)
            let types = try await app.dependencies.stores.events(aggregateType: "show", aggregateId: app.show.showId.uuidString).map(\.type)
            #expect(types == ["PriceChangeInitiated", "PriceChangeProcessed"])
        }
    }
}
