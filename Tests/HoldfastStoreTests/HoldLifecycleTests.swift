import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct HoldLifecycleTests {
    @Test(arguments: StoreBackend.available)
    func holdClaimsExactlyItsSeats(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let hold = try await fixture.hold(["A1", "A2"], by: "alice")
            #expect(hold.status == .held)
            #expect(hold.expiresAt == fixture.clock.now().addingTimeInterval(300))
            let claims = try await fixture.liveClaims()
            #expect(Set(claims.keys) == ["A1", "A2"])
            #expect(claims.values.allSatisfy { $0.userId == "alice" && $0.stage == .held })
        }
    }

    /// An order is priced from the hold's show as it is when the order is made: read with the hold, and after the
    /// show changes (a new price) the changed show, whether or not the store had the old one at hand.
    @Test(arguments: StoreBackend.available)
    func aHoldComesWithItsShowAsItIsNow(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let hold = try await fixture.hold(["A1"], by: "alice")
            _ = try await fixture.booking.seatMap(showId: fixture.show.showId, caller: nil)  // the show at hand
            let (read, show) = try await fixture.stores.holdWithShow(hold.holdId, userId: "alice")
            #expect(read.holdId == hold.holdId && read.seatIds == ["A1"] && show.showId == fixture.show.showId)
            #expect(show.price == fixture.show.price)
            _ = try await fixture.catalog.updateShow(fixture.show.showId, startTime: nil, price: Money(minorUnits: 31_000), categoryPrices: nil)
            #expect(try await fixture.stores.holdWithShow(hold.holdId, userId: "alice").1.price == Money(minorUnits: 31_000))
            _ = try await fixture.booking.seatMap(showId: fixture.show.showId, caller: nil)
            #expect(try await fixture.stores.holdWithShow(hold.holdId, userId: "alice").1.price == Money(minorUnits: 31_000))
            await #expect(performing: { try await fixture.stores.holdWithShow(hold.holdId, userId: "bob") }, throws: { code(of: $0) == "NOT_FOUND" })
            await #expect(performing: { try await fixture.stores.holdWithShow(UUID(), userId: "alice") }, throws: { code(of: $0) == "NOT_FOUND" })
        }
    }

    @Test(arguments: StoreBackend.available)
    func conflictNamesTheTakenSeatsAndLeavesNothing(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            _ = try await fixture.hold(["A2"], by: "alice")
            await #expect(performing: { try await fixture.hold(["A1", "A2", "A3"], by: "bob") },
                          throws: { ($0 as? HoldfastError)?.seatIds == ["A2"] })
            #expect(Set(try await fixture.liveClaims().keys) == ["A2"])
        }
    }

    /// The store's claim alone (no snapshot refusing first, as in a race): a buyer with no other hold on the show
    /// and one replacing an earlier hold both get all of their seats or none, and a refused hold leaves no row,
    /// no claim and no event behind.
    @Test(arguments: StoreBackend.available)
    func theClaimTakesEverySeatOrNone(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            _ = try await fixture.hold(["A2"], by: "alice")
            let earlier = try await fixture.hold(["D1"], by: "carol")
            let now = fixture.clock.now()
            for user in ["bob", "carol"] {
                let refused = Hold(
                    holdId: UUID(), showId: fixture.show.showId, userId: user, seatIds: ["A1", "A2", "A3"], status: .held, createdAt: now,
                    expiresAt: now.addingTimeInterval(300))
                await #expect(performing: { try await fixture.stores.createHold(refused, now: now) },
                              throws: { ($0 as? HoldfastError)?.seatIds == ["A2"] })
                await #expect(throws: HoldfastError.self) { try await fixture.booking.hold(refused.holdId, userId: user) }
                #expect(try await fixture.stores.events(aggregateType: "hold", aggregateId: refused.holdId.uuidString).isEmpty)
            }
            #expect(Set(try await fixture.liveClaims().keys) == ["A2", "D1"])
            #expect(try await fixture.booking.hold(earlier.holdId, userId: "carol").status == .held, "a refused hold keeps the earlier one")
            let taken = Hold(
                holdId: UUID(), showId: fixture.show.showId, userId: "bob", seatIds: ["A1", "A3"], status: .held, createdAt: now,
                expiresAt: now.addingTimeInterval(300))
            #expect(try await fixture.stores.createHold(taken, now: now).seatIds == ["A1", "A3"])
            #expect(Set(try await fixture.liveClaims().keys) == ["A1", "A2", "A3", "D1"])
            #expect(try await fixture.booking.hold(taken.holdId, userId: "bob").status == .held)
            #expect(try await fixture.stores.events(aggregateType: "hold", aggregateId: taken.holdId.uuidString).map(\.type) == ["HoldCreated"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func expiredHoldFreesSeatsBeforeAnySweeper(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let first = try await fixture.hold(["C5", "C6"], by: "alice")
            fixture.clock.advance(by: 300)
            let second = try await fixture.hold(["C6", "C7"], by: "bob")
            #expect(second.seatIds == ["C6", "C7"])
            #expect(try await fixture.booking.hold(first.holdId, userId: "alice").status(at: fixture.clock.now()) == .expired)
            await #expect(performing: {
                try await fixture.booking.createOrder(holdId: first.holdId, customer: Fixture.customer, userId: "alice")
            }, throws: { code(of: $0) == "HOLD_EXPIRED" })
            #expect(Set(try await fixture.liveClaims().keys) == ["C6", "C7"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func aNewHoldReplacesTheUsersPreviousHoldOnTheShow(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let first = try await fixture.hold(["A1", "A2"], by: "alice")
            _ = try await fixture.hold(["A2", "A3"], by: "alice")
            #expect(Set(try await fixture.liveClaims().keys) == ["A2", "A3"])
            #expect(try await fixture.booking.hold(first.holdId, userId: "alice").status == .released)
            // …but a failed new hold keeps the old one.
            _ = try await fixture.hold(["B1"], by: "bob")
            await #expect(throws: HoldfastError.self) { try await fixture.hold(["B1", "B2"], by: "alice") }
            #expect(Set(try await fixture.liveClaims().keys) == ["A2", "A3", "B1"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func updateSwapsSeatsAtomically(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let hold = try await fixture.hold(["A1", "A2"], by: "alice")
            _ = try await fixture.hold(["A3"], by: "bob")
            await #expect(performing: {
                try await fixture.booking.updateHold(hold.holdId, userId: "alice", seatIds: ["A2", "A3"], quantity: 2, extend: false)
            }, throws: { ($0 as? HoldfastError)?.seatIds == ["A3"] })
            #expect(try await fixture.liveClaims().filter { $0.value.userId == "alice" }.keys.sorted() == ["A1", "A2"])

            let updated = try await fixture.booking.updateHold(hold.holdId, userId: "alice", seatIds: ["A2", "A4"], quantity: nil, extend: false)
            #expect(updated.seatIds == ["A2", "A4"])
            #expect(try await fixture.liveClaims().filter { $0.value.userId == "alice" }.keys.sorted() == ["A2", "A4"])
            #expect(try await fixture.booking.hold(hold.holdId, userId: "alice").seatIds == ["A2", "A4"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func extendMovesExpiryAndIsLimited(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend, policy: BookingPolicy(maxHoldExtensions: 1)) { fixture in
            let hold = try await fixture.hold(["D1"], by: "alice")
            fixture.clock.advance(by: 200)
            let extended = try await fixture.booking.updateHold(hold.holdId, userId: "alice", seatIds: nil, quantity: nil, extend: true)
            #expect(extended.expiresAt == fixture.clock.now().addingTimeInterval(300))
            fixture.clock.advance(by: 250)  // past the first expiry, within the extension
            await #expect(throws: HoldfastError.self) { try await fixture.hold(["D1"], by: "bob") }
            await #expect(performing: {
                try await fixture.booking.updateHold(hold.holdId, userId: "alice", seatIds: nil, quantity: nil, extend: true)
            }, throws: { code(of: $0) == "HOLD_EXTENSION_LIMIT" })
        }
    }

    @Test(arguments: StoreBackend.available)
    func releaseFreesSeatsAndIsRepeatable(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let hold = try await fixture.hold(["E1", "E2"], by: "alice")
            #expect(try await fixture.booking.releaseHold(hold.holdId, userId: "alice").status == .released)
            #expect(try await fixture.booking.releaseHold(hold.holdId, userId: "alice").status == .released)
            #expect(try await fixture.liveClaims().isEmpty)
            _ = try await fixture.hold(["E1"], by: "bob")
        }
    }

    @Test(arguments: StoreBackend.available)
    func anotherUsersHoldDoesNotExistForThem(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let hold = try await fixture.hold(["F1"], by: "alice")
            await #expect(performing: { try await fixture.booking.hold(hold.holdId, userId: "mallory") },
                          throws: { code(of: $0) == "NOT_FOUND" })
            await #expect(throws: HoldfastError.self) { try await fixture.booking.releaseHold(hold.holdId, userId: "mallory") }
            await #expect(throws: HoldfastError.self) {
                try await fixture.booking.updateHold(hold.holdId, userId: "mallory", seatIds: ["F2"], quantity: nil, extend: false)
            }
            #expect(Set(try await fixture.liveClaims().keys) == ["F1"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func noHoldsOnAStartedOrCancelledShow(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            _ = try await fixture.catalog.cancelShow(fixture.show.showId)
            await #expect(performing: { try await fixture.hold(["A1"], by: "alice") }, throws: { code(of: $0) == "SHOW_CANCELLED" })

            try await Fixture.with(backend) { other in
                other.clock.advance(by: 86_400)
                await #expect(performing: { try await other.hold(["A1"], by: "alice") }, throws: { code(of: $0) == "SHOW_STARTED" })
            }
        }
    }
}
