import Foundation
import HoldfastCore
import HoldfastStore
import HoldfastWorkers
import Logging
import Testing

@Suite struct WaitlistWorkerTests {
    @Test func theFirstInLineIsMailedTheirHeldSeatsAndToldWhenTheOfferLapses() async throws {
        let fixture = try await WorkerFixture.make()
        let waitlist = WaitlistService(booking: fixture.booking)
        var fillers: [Hold] = []
        for row in "ABCDEFGHIJ" {
            fillers.append(try await fixture.booking.createHold(
                showId: fixture.show.showId, seatIds: (1...10).map { "\(row)\($0)" }, quantity: nil, userId: "filler-\(row)"))
        }
        _ = try await waitlist.join(showId: fixture.show.showId, userId: "alice", quantity: 2, email: "alice@example.com")
        let worker = WaitlistWorker(waitlist: waitlist, logger: Logger(label: "test"))
        let other = WaitlistWorker(waitlist: waitlist, owner: "another-instance", logger: Logger(label: "test"))
        #expect(try await worker.tick().isEmpty)
        _ = try await fixture.booking.releaseHold(fillers[4].holdId, userId: "filler-E")
        #expect(try await other.tick().isEmpty, "the other instance waits for the lease")
        let offers = try await worker.tick()
        #expect(offers.map(\.userId) == ["alice"])
        let hold = try await fixture.stores.hold(try #require(offers.first?.holdId), userId: "alice")

        let notifier = Notifier(stores: fixture.stores, sender: DevMailbox(store: fixture.stores), clock: fixture.clock)
        let dispatcher = fixture.dispatcher(subscribers: [notifier])
        while try await dispatcher.tick() > 0 {}
        var mails = try await fixture.stores.mailbox(page: PageRequest(page: 1, pageSize: 10)).items
        let offer = try #require(mails.first { $0.subject.contains("held for you") })
        #expect(offer.recipient == "alice@example.com" && offer.body.contains(hold.seatIds.joined(separator: ", "))
                && offer.body.contains("/checkout/\(hold.holdId.uuidString)") && offer.body.contains("Tidewater"))

        fixture.clock.advance(by: 301)
        _ = try await worker.tick()
        while try await dispatcher.tick() > 0 {}
        mails = try await fixture.stores.mailbox(page: PageRequest(page: 1, pageSize: 10)).items
        #expect(mails.contains { $0.recipient == "alice@example.com" && $0.subject.contains("were released") })
    }
}
