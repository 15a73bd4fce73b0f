import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct LiveSeatTests {
    @Test(arguments: StoreBackend.available)
    func everyClaimChangeLeavesTheSeatAHigherVersionInTheSameTransaction(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let stores = fixture.stores
            let start = try await stores.latestSeatVersion()
            let hold = try await fixture.hold(["A1", "A2"], by: "alice")
            var seats = Dictionary(uniqueKeysWithValues: try await stores.seatVersions(showId: fixture.show.showId).map { ($0.seatId, $0) })
            #expect(seats["A1"]?.state == .held && seats["A1"]?.userId == "alice" && seats["A1"]?.expiresAt == hold.expiresAt)
            let held = try #require(seats["A1"]?.version)
            #expect(held > start)

            _ = try await fixture.booking.releaseHold(hold.holdId, userId: "alice")
            seats = Dictionary(uniqueKeysWithValues: try await stores.seatVersions(showId: fixture.show.showId).map { ($0.seatId, $0) })
            #expect(seats["A1"]?.state == .available && seats["A1"]!.version > held && seats["A1"]?.userId == nil)

            let order = try await fixture.order(["A1"], by: "bob")
            _ = try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "bob")
            seats = Dictionary(uniqueKeysWithValues: try await stores.seatVersions(showId: fixture.show.showId).map { ($0.seatId, $0) })
            #expect(seats["A1"]?.state == .booked && seats["A1"]?.expiresAt == nil)

            // In version order, each seat's versions only grow.
            let changes = try await stores.seatChanges(after: start, limit: 100)
            #expect(changes.map(\.version) == changes.map(\.version).sorted())
            #expect(try await stores.latestSeatVersion() >= seats["A1"]!.version)

            // A lapsed hold reads as free before the sweeper runs; the sweeper's delete records it.
            let lapsing = try await fixture.hold(["C1"], by: "carol")
            #expect(try await stores.seatVersions(showId: fixture.show.showId).first { $0.seatId == "C1" }?.state(at: lapsing.expiresAt) == .available)
            fixture.clock.advance(by: 3_600)
            _ = try await stores.expireDue(now: fixture.clock.now(), limit: 100)
            #expect(try await stores.seatVersions(showId: fixture.show.showId).first { $0.seatId == "C1" }?.state == .available)
        }
    }

    /// The seat-map cache's freshness rests on this: after any committed change to the show or its seats the
    /// stamp differs from every earlier one, and nothing else moves it.
    @Test(arguments: StoreBackend.available)
    func theSeatMapStampMovesWithEveryChangeToTheShowAndOnlyThen(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let stores = fixture.stores
            let showId = fixture.show.showId
            #expect(try await stores.seatMapRead(showId: UUID(), unless: nil)?.stamp == nil)
            var seen = [try #require(try await stores.seatMapRead(showId: showId, unless: nil)?.stamp)]
            func changed(_ step: String) async throws {
                let stamp = try #require(try await stores.seatMapRead(showId: showId, unless: nil)?.stamp)
                #expect(!seen.contains(stamp), "\(step) moves the stamp")
                seen.append(stamp)
            }
            let hold = try await fixture.hold(["A1", "A2"], by: "alice")
            try await changed("a hold")
            _ = try await fixture.booking.releaseHold(hold.holdId, userId: "alice")
            try await changed("a release")
            let order = try await fixture.order(["A1"], by: "bob")
            try await changed("a hold and an order")
            _ = try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "bob")
            try await changed("a payment")
            let lapsing = try await fixture.hold(["C1"], by: "carol")
            try await changed("another hold")
            fixture.clock.advance(by: 3_600)
            _ = try await stores.expireDue(now: fixture.clock.now(), limit: 100)
            try await changed("the sweeper")
            _ = lapsing

            // Reads and another show's sales leave it alone.
            _ = try await stores.seatClaims(showId: showId)
            _ = try await fixture.booking.seatMap(showId: showId, caller: nil)
            let other = try await fixture.catalog.createShow(
                movieId: fixture.show.movieId, layoutId: try #require(try await stores.screens(theatreId: fixture.theatre.theatreId).first?.layoutId),
                startTime: fixture.clock.now().addingTimeInterval(90_000), price: Money(minorUnits: 25_000), categoryPrices: [:])
            _ = try await fixture.booking.createHold(showId: other.showId, seatIds: ["A1"], quantity: 1, userId: "dan")
            #expect(try await stores.seatMapRead(showId: showId, unless: nil)?.stamp == seen.last)

            _ = try await fixture.catalog.cancelShow(showId)
            try await changed("cancelling the show")
        }
    }

    @Test(arguments: StoreBackend.available)
    func aSeatMapReadBringsTheShowAndItsClaimsOnlyWhenTheStampMoved(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let stores = fixture.stores
            let showId = fixture.show.showId
            #expect(try await stores.seatMapRead(showId: UUID(), unless: nil) == nil)
            let first = try #require(try await stores.seatMapRead(showId: showId, unless: nil))
            #expect(first.changed?.show.showId == showId && first.changed?.claims.isEmpty == true && !first.stamp.waitingRoom)
            let unchanged = try #require(try await stores.seatMapRead(showId: showId, unless: first.stamp))
            #expect(unchanged.stamp == first.stamp && unchanged.changed == nil)

            _ = try await fixture.hold(["B1", "B2"], by: "alice")
            let held = try #require(try await stores.seatMapRead(showId: showId, unless: first.stamp))
            #expect(held.stamp != first.stamp)
            #expect(Set(held.changed?.claims.map(\.seatId) ?? []) == ["B1", "B2"] && held.changed?.claims.allSatisfy { $0.userId == "alice" } == true)

            _ = try await stores.setWaitingRoom(showId: showId, admissionsPerMinute: 60, tokenMinutes: 10, now: fixture.clock.now())
            let guarded = try #require(try await stores.seatMapRead(showId: showId, unless: held.stamp))
            #expect(guarded.stamp.waitingRoom && guarded.changed != nil, "opening a waiting room moves the stamp")
        }
    }

    @Test(arguments: StoreBackend.available)
    func anotherHandleHearsSeatChangesInCommitOrder(_ backend: StoreBackend) async throws {
        try await backend.withSharedStores(count: 2) { handles in
            guard handles[1].sharesLiveMessages else { return }
            try await Fixture.with(backend, sharing: handles[0]) { fixture in
                let heard = HeardSeats()
                let follower = Task { try await handles[1].followSeatChanges { await heard.add($0) } }
                defer { follower.cancel() }
                // The follower listens once it hears something: poke a far seat until it does (a busy machine may
                // take a while to set up the listener), then watch the seats under test.
                let listening = ContinuousClock.now + .seconds(30)
                while await heard.all.isEmpty, ContinuousClock.now < listening {
                    let probe = try await fixture.hold(["J10"], by: "probe")
                    _ = try await fixture.booking.releaseHold(probe.holdId, userId: "probe")
                    try await Task.sleep(for: .milliseconds(100))
                }
                let hold = try await fixture.hold(["B1", "B2"], by: "alice")
                _ = try await fixture.booking.releaseHold(hold.holdId, userId: "alice")
                let deadline = ContinuousClock.now + .seconds(10)
                while await heard.all.filter({ $0.seatId != "J10" }).count < 4, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let all = await heard.all.filter { $0.seatId != "J10" }
                #expect(all.map(\.state) == [.held, .held, .available, .available])
                #expect(all.map(\.version) == all.map(\.version).sorted() && all.allSatisfy { $0.showId == fixture.show.showId && $0.userId == nil })
                #expect(all.first?.expiresAt != nil)
            }
        }
    }
}

actor HeardSeats {
    private(set) var all: [SeatChange] = []
    func add(_ change: SeatChange) { all.append(change) }
}
