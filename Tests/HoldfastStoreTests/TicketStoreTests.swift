import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct TicketStoreTests {
    @Test(arguments: StoreBackend.available)
    func ticketsKeepExactPricesAndRecordPriceChanges(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let stores = fixture.stores
            let now = fixture.clock.now()
            let ticket = Ticket(theatreSeat: "1-A9", attributes: ["Movie": .string("Avengers"), "Price": .number(Decimal(string: "15.99")!), "Row": .string("A")])
            try await stores.createTicket(ticket, now: now)
            await #expect(performing: { try await stores.createTicket(ticket, now: now) }, throws: { code(of: $0) == "TICKET_EXISTS" })
            #expect(try await stores.ticket("1-A9") == ticket)

            let updated = try await stores.updateTicketAttribute("1-A9", name: "Price", value: .number(Decimal(string: "12.99")!), now: now)
            #expect(updated.price == Decimal(string: "12.99"))
            _ = try await stores.updateTicketAttribute("1-A9", name: "Row", value: .string("B"), now: now)
            let events = try await stores.events(aggregateType: "ticket", aggregateId: "1-A9")
            #expect(events.map(\.type) == ["PriceChangeInitiated"])
            let change = try events[0].decodePayload(PriceChange.self)
            #expect(change.oldPrice == Decimal(string: "15.99") && change.newPrice == Decimal(string: "12.99"))

            try await stores.applyPriceChangeMetadata(change, now: now)
            try await stores.applyPriceChangeMetadata(change, now: now)  // redelivered: nothing more
            let stored = try #require(try await stores.ticket("1-A9"))
            #expect(stored.attributes["PreviousPrice"] == .number(Decimal(string: "15.99")!))
            #expect(stored.attributes["DiscountPercentage"] == .number(Decimal(string: "18.76")!))
            #expect(stored.attributes["IsDiscounted"] == .bool(true) && stored.attributes["Row"] == .string("B"))
            #expect(try await stores.events(aggregateType: "ticket", aggregateId: "1-A9").map(\.type) == ["PriceChangeInitiated", "PriceChangeProcessed"])

            #expect(try await stores.tickets().map(\.theatreSeat) == ["1-A9"])
            #expect(try await stores.deleteTicket("1-A9"))
            #expect(try await !stores.deleteTicket("1-A9"))
            await #expect(throws: HoldfastError.self) { try await stores.updateTicketAttribute("1-A9", name: "Price", value: .number(1), now: now) }
        }
    }

    @Test(arguments: StoreBackend.available)
    func aShowPriceChangeIsRecordedWithTheShowAndProcessedOnce(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            _ = try await fixture.catalog.updateShow(fixture.show.showId, startTime: nil, price: Money(minorUnits: 20_000), categoryPrices: nil)
            let events = try await fixture.stores.events(aggregateType: "show", aggregateId: fixture.show.showId.uuidString)
            #expect(events.map(\.type) == ["PriceChangeInitiated"])
            let change = try events[0].decodePayload(PriceChange.self)
            try await fixture.stores.applyPriceChangeMetadata(change, now: fixture.clock.now())
            try await fixture.stores.applyPriceChangeMetadata(change, now: fixture.clock.now())
            let show = try #require(try await fixture.stores.show(fixture.show.showId))
            #expect(show.price == Money(minorUnits: 20_000) && show.priceChange?.previousPrice == 250 && show.priceChange?.discountPercentage == 20)
            #expect(try await fixture.stores.events(aggregateType: "show", aggregateId: fixture.show.showId.uuidString).count == 2)
        }
    }
}
