import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct WaitingRoomTests {
    @Test(arguments: StoreBackend.available)
    func arrivalsGetConsecutiveSlotsAtTheRoomsRate(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let show = fixture.show.showId
            let t0 = fixture.clock.now()
            await #expect(performing: { try await fixture.stores.enqueue(showId: show, userId: "early", now: t0) },
                          throws: { code(of: $0) == "NO_WAITING_ROOM" })
            let room = try await fixture.stores.setWaitingRoom(showId: show, admissionsPerMinute: 60, tokenMinutes: 10, now: t0)
            #expect(room.interval == 1)
            // Fifty arrive at the same instant: fifty distinct slots, one second apart, none skipped.
            let tickets = try await withThrowingTaskGroup(of: QueueTicket.self) { group in
                for buyer in 0..<50 { group.addTask { try await fixture.stores.enqueue(showId: show, userId: "b\(buyer)", now: t0) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let offsets = tickets.map { Int($0.admitAt.timeIntervalSince(t0).rounded()) }.sorted()
            #expect(offsets == Array(0..<50))
            let first = try #require(tickets.first { $0.admitAt == t0 })
            #expect(try await fixture.stores.enqueue(showId: show, userId: first.userId, now: t0.addingTimeInterval(5)) == first, "joining again keeps the place")
            let later = tickets.first { Int($0.admitAt.timeIntervalSince(t0).rounded()) == 10 }!
            #expect(later.position(at: t0.addingTimeInterval(2.5), interval: room.interval) == 8 && first.position(at: t0, interval: 1) == 0)
            // Once the line has drained, a newcomer is admitted at once.
            let newcomer = try await fixture.stores.enqueue(showId: show, userId: "late", now: t0.addingTimeInterval(120))
            #expect(newcomer.admitAt == t0.addingTimeInterval(120) && newcomer.isAdmitted(at: t0.addingTimeInterval(120)))
            #expect(try await fixture.stores.removeWaitingRoom(showId: show))
            #expect(try await fixture.stores.waitingRoom(showId: show) == nil)
            #expect(try await fixture.stores.queueTicket(showId: show, userId: "late") == nil)
        }
    }
}
