import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct OrderLifecycleTests {
    static let lounge = SeatLayout(rows: [
        .init(label: "A", seats: [1, 2, nil, 3]),
        .init(label: "B", category: "RECLINER", seats: [1, 2]),
    ])

    @Test(arguments: StoreBackend.available)
    func orderIsPendingWithTheSumOfSeatPrices(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend, layout: Self.lounge) { fixture in
            let order = try await fixture.order(["A1", "B1"], by: "alice")
            #expect(order.status == .paymentPending)
            #expect(order.amount == Money(minorUnits: 25_000 + 40_000))
            #expect(order.expiresAt == fixture.clock.now().addingTimeInterval(300))
            #expect(try await fixture.booking.hold(order.holdId, userId: "alice").status == .converted)
            // Pending seats stay unavailable to others, even after the hold's own TTL.
            fixture.clock.advance(by: 299)
            await #expect(throws: HoldfastError.self) { try await fixture.hold(["B1"], by: "bob") }
        }
    }

    /// What a confirmation names comes with the order in one read: its show as it is now, its movie and its theatre,
    /// each as the catalog has it (on PostgreSQL from one join whose movie and theatre columns are renamed).
    @Test(arguments: StoreBackend.available)
    func anOrderComesWithItsShowMovieAndTheatre(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            var movie = try #require(try await fixture.stores.movie(fixture.show.movieId))
            movie.about = "A film about a test."
            movie.rating = 8.5
            movie.releaseDate = try CalendarDate("2026-05-01")
            try await fixture.catalog.saveMovie(movie)
            var theatre = fixture.theatre
            theatre.address = "1 Screen Lane"
            theatre.geoLat = 12.97
            theatre.geoLng = 77.59
            theatre.timeZone = "Asia/Kolkata"
            try await fixture.catalog.saveTheatre(theatre)
            let order = try await fixture.order(["A1", "A2"], by: "alice")
            let details = try await fixture.stores.orderDetails(order.orderId, userId: "alice")
            #expect(details.order == order)
            #expect(details.show.showId == fixture.show.showId && details.show.price == fixture.show.price)
            #expect(details.movie == movie)
            #expect(details.theatre == theatre)
            _ = try await fixture.catalog.updateShow(fixture.show.showId, startTime: nil, price: Money(minorUnits: 31_000), categoryPrices: nil)
            #expect(try await fixture.stores.orderDetails(order.orderId, userId: "alice").show.price == Money(minorUnits: 31_000))
            await #expect(performing: { try await fixture.stores.orderDetails(order.orderId, userId: "bob") }, throws: { code(of: $0) == "NOT_FOUND" })
            await #expect(performing: { try await fixture.stores.orderDetails(UUID(), userId: "alice") }, throws: { code(of: $0) == "NOT_FOUND" })
        }
    }

    @Test(arguments: StoreBackend.available)
    func confirmBooksTheSeatsWithATicketCode(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["G1", "G2"], by: "alice")
            let confirmed = try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "alice")
            #expect(confirmed.status == .confirmed)
            #expect(TicketCode.isWellFormed(confirmed.ticketCode ?? ""))
            #expect(confirmed.confirmedAt == fixture.clock.now())
            let claims = try await fixture.liveClaims()
            #expect(claims["G1"]?.stage == .booked && claims["G2"]?.stage == .booked)
            // Booked seats never lapse, and confirming again is harmless.
            fixture.clock.advance(by: 10_000)
            #expect(try await fixture.liveClaims().count == 2)
            let again = try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "alice")
            #expect(again.ticketCode == confirmed.ticketCode)
        }
    }

    @Test(arguments: StoreBackend.available)
    func confirmingAnExpiredOrderFailsAndFreesItsSeats(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["H1"], by: "alice")
            fixture.clock.advance(by: 300)
            _ = try await fixture.hold(["H1"], by: "bob")  // free at once, no sweeper
            await #expect(performing: { try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "alice") },
                          throws: { code(of: $0) == "ORDER_EXPIRED" })
            let stored = try await fixture.booking.order(order.orderId, userId: "alice")
            #expect(stored.status == .expired)
            #expect(try await fixture.liveClaims()["H1"]?.userId == "bob")
        }
    }

    @Test(arguments: StoreBackend.available)
    func expiredOrderIsMarkedEvenWhenNobodyTookItsSeats(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["H2"], by: "alice")
            fixture.clock.advance(by: 301)
            await #expect(throws: HoldfastError.self) { try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "alice") }
            #expect(try await fixture.liveClaims().isEmpty)
            #expect(try await fixture.stores.seatClaims(showId: fixture.show.showId).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func orderingTheSameHoldTwiceReturnsTheFirstOrder(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let hold = try await fixture.hold(["J1"], by: "alice")
            let first = try await fixture.booking.createOrder(holdId: hold.holdId, customer: Fixture.customer, userId: "alice")
            let second = try await fixture.booking.createOrder(holdId: hold.holdId, customer: Fixture.customer, userId: "alice")
            #expect(first.orderId == second.orderId)
            await #expect(performing: {
                try await fixture.booking.createOrder(holdId: hold.holdId, customer: Fixture.customer, userId: "mallory")
            }, throws: { code(of: $0) == "NOT_FOUND" })
        }
    }

    /// Buyers who press "order" several times at once get one order.
    @Test(arguments: StoreBackend.available)
    func racingOrdersForOneHoldMakeOneOrder(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let hold = try await fixture.hold(["E1", "E2"], by: "alice")
            let orders = try await withThrowingTaskGroup(of: Order.self) { group in
                for _ in 0..<12 {
                    group.addTask { try await fixture.booking.createOrder(holdId: hold.holdId, customer: Fixture.customer, userId: "alice") }
                }
                return try await group.reduce(into: [Order]()) { $0.append($1) }
            }
            #expect(Set(orders.map(\.orderId)).count == 1)
            #expect(try await fixture.booking.orders(userId: "alice", page: PageRequest(page: 1, pageSize: 50)).items.count == 1)
            #expect(try await fixture.stores.events(aggregateType: "order", aggregateId: orders[0].orderId.uuidString).map(\.type) == ["OrderCreated"])
        }
    }

    /// A hold one of whose seats lapsed behind its back (its claim's own expiry) becomes no order, and nothing is
    /// written: no order, the hold still held, its other seat still its own.
    @Test(arguments: StoreBackend.available)
    func aHoldWithALapsedSeatBecomesNoOrder(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let hold = try await fixture.hold(["F1", "F2"], by: "alice")
            let past = backend == .sqlite ? "0" : "'1970-01-01T00:00:00Z'"
            try await SchemaGuaranteeTests.rawSQL(fixture.stores, "UPDATE seat_claims SET expires_at = \(past) WHERE seat_id = 'F2'")
            await #expect(performing: {
                try await fixture.booking.createOrder(holdId: hold.holdId, customer: Fixture.customer, userId: "alice")
            }, throws: { code(of: $0) == "HOLD_EXPIRED" })
            #expect(try await fixture.booking.orders(userId: "alice", page: PageRequest(page: 1, pageSize: 50)).items.isEmpty)
            #expect(try await fixture.booking.hold(hold.holdId, userId: "alice").status == .held)
            #expect(try await fixture.liveClaims()["F1"]?.userId == "alice")
        }
    }

    @Test(arguments: StoreBackend.available)
    func cancelFreesSeatsWhereTheTheatreAllowsIt(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["B5", "B6"], by: "alice")
            let paid = try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "alice")
            let cancelled = try await fixture.booking.cancelOrder(paid.orderId, userId: "alice")
            #expect(cancelled.status == .cancelled)
            #expect(try await fixture.liveClaims().isEmpty)
            _ = try await fixture.hold(["B5"], by: "bob")
            await #expect(performing: { try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "alice") },
                          throws: { code(of: $0) == "ORDER_NOT_PENDING" })

            try await Fixture.with(backend, cancellation: false) { strict in
                let strictOrder = try await strict.order(["A1"], by: "alice")
                await #expect(performing: { try await strict.booking.cancelOrder(strictOrder.orderId, userId: "alice") },
                              throws: { code(of: $0) == "CANCELLATION_NOT_ALLOWED" })
            }
        }
    }

    @Test(arguments: StoreBackend.available)
    func myOrdersAreNewestFirstAndOnlyMine(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            var mine: [UUID] = []
            for seat in ["C1", "C2", "C3"] {
                mine.append(try await fixture.order([seat], by: "alice").orderId)
                fixture.clock.advance(by: 1)
            }
            _ = try await fixture.order(["C4"], by: "bob")
            let page = try await fixture.booking.orders(userId: "alice", page: PageRequest(page: 1, pageSize: 2))
            #expect(page.total == 3)
            #expect(page.items.map(\.orderId) == [mine[2], mine[1]])
            let next = try await fixture.booking.orders(userId: "alice", page: PageRequest(page: 2, pageSize: 2))
            #expect(next.items.map(\.orderId) == [mine[0]])
        }
    }

    @Test(arguments: StoreBackend.available)
    func cancellingAShowCancelsItsOrdersAndFreesEverySeat(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let paid = try await fixture.booking.confirmPayment(orderId: try await fixture.order(["A1"], by: "alice").orderId, userId: "alice")
            let pending = try await fixture.order(["A2"], by: "bob")
            let hold = try await fixture.hold(["A3"], by: "carol")
            _ = try await fixture.catalog.cancelShow(fixture.show.showId)
            #expect(try await fixture.booking.order(paid.orderId, userId: "alice").status == .cancelled)
            #expect(try await fixture.booking.order(pending.orderId, userId: "bob").status == .cancelled)
            #expect(try await fixture.booking.hold(hold.holdId, userId: "carol").status == .released)
            #expect(try await fixture.stores.seatClaims(showId: fixture.show.showId).isEmpty)
            let listing = try await fixture.catalog.listing(try #require(try await fixture.stores.show(fixture.show.showId)))
            #expect(listing.status == .cancelled)
        }
    }
}
