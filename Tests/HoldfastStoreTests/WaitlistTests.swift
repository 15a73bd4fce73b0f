import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct WaitlistTests {
    /// Every seat of the 10 x 10 hall held, one row per filler; answers the fillers' holds by row.
    static func sellOut(_ fixture: Fixture) async throws -> [String: Hold] {
        var holds: [String: Hold] = [:]
        for row in "ABCDEFGHIJ" {
            holds[String(row)] = try await fixture.hold((1...10).map { "\(row)\($0)" }, by: "filler-\(row)")
        }
        return holds
    }

    @Test(arguments: StoreBackend.available)
    func freedSeatsGoToTheFirstInLineAsAHoldThatLapsesToTheNext(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let waitlist = WaitlistService(booking: fixture.booking)
            let show = fixture.show.showId
            await #expect(performing: { try await waitlist.join(showId: show, userId: "early", quantity: 2, email: "early@example.com") },
                          throws: { code(of: $0) == "SEATS_AVAILABLE" })
            let fillers = try await Self.sellOut(fixture)
            let alice = try await waitlist.join(showId: show, userId: "alice", quantity: 2, email: "alice@example.com")
            #expect(alice.ahead == 0 && alice.entry.status == .waiting)
            #expect(try await waitlist.join(showId: show, userId: "bob", quantity: 3, email: "bob@example.com").ahead == 1)
            await #expect(performing: { try await waitlist.join(showId: show, userId: "alice", quantity: 2, email: "alice@example.com") },
                          throws: { code(of: $0) == "ALREADY_WAITING" })
            #expect(try await waitlist.offerFreedSeats().isEmpty, "nothing free yet")

            // Four seats of row F come free: alice (2) gets two of them; bob (3) does not fit in what is left.
            _ = try await fixture.booking.updateHold(
                fillers["F"]!.holdId, userId: "filler-F", seatIds: (5...10).map { "F\($0)" }, quantity: nil, extend: false)
            let offers = try await waitlist.offerFreedSeats()
            #expect(offers.map(\.userId) == ["alice"] && offers.first?.status == .offered)
            let aliceHold = try await fixture.stores.hold(try #require(offers.first?.holdId), userId: "alice")
            #expect(aliceHold.seatIds.count == 2 && aliceHold.seatIds.allSatisfy { $0.hasPrefix("F") })
            #expect(try await fixture.stores.waitlistEntry(showId: show, userId: "bob")?.ahead == 0, "bob is first now")
            let carol = try await waitlist.join(showId: show, userId: "carol", quantity: 3, email: "carol@example.com")
            #expect(carol.ahead == 1)

            // Alice lets her offer lapse (the fillers keep theirs): her seats go to bob, carol waits on.
            fixture.clock.advance(by: 200)
            for (row, hold) in fillers where row != "F" {
                _ = try await fixture.booking.updateHold(hold.holdId, userId: "filler-\(row)", seatIds: nil, quantity: nil, extend: true)
            }
            _ = try await fixture.booking.updateHold(fillers["F"]!.holdId, userId: "filler-F", seatIds: nil, quantity: nil, extend: true)
            fixture.clock.advance(by: 101)
            let next = try await waitlist.offerFreedSeats()
            #expect(next.map(\.userId) == ["bob"])
            #expect(try await fixture.stores.waitlistEntry(alice.entry.entryId)?.status == .expired)
            #expect(try await fixture.stores.waitlistEntry(showId: show, userId: "carol")?.ahead == 0)

            // Bob books: his entry is ACCEPTED on the next pass; carol can leave the list.
            _ = try await fixture.booking.createOrder(holdId: try #require(next.first?.holdId), customer: Fixture.customer, userId: "bob")
            #expect(try await waitlist.offerFreedSeats().isEmpty)
            #expect(try await fixture.stores.waitlistEntry(try #require(next.first?.entryId))?.status == .accepted)
            #expect(try await fixture.stores.leaveWaitlist(showId: show, userId: "carol", now: fixture.clock.now()).status == .left)
            #expect(try await fixture.stores.showsWithWaiters(limit: 10).isEmpty)
            let types = try await fixture.stores.events(aggregateType: "waitlist", aggregateId: alice.entry.entryId.uuidString).map(\.type)
            #expect(types == ["WaitlistJoined", "WaitlistOffered", "WaitlistOfferExpired"])
        }
    }
}
