import Foundation
@testable import HoldfastPostgres
import Synchronization
import Testing

/// Writes waiting for the same turn are gathered and made together by the one whose turn comes; each gets its own
/// outcome, and nobody is stranded when a leader or a member gives up.
@Suite struct WriteGatheringsTests {
    typealias Gatherings = WriteGatherings<String, Int, Int>
    struct Refused: Error, Equatable {}

    /// The items each lead took, in the order the leads ran.
    final class Leads: Sendable {
        let taken = Mutex<[[Int]]>([])
        var all: [[Int]] { taken.withLock { $0 } }
    }

    /// A lead that waits for `turn`, takes the gathering and answers each item times ten (an odd item is refused).
    static func lead(after turn: Latch, recording leads: Leads) -> (@escaping Gatherings.Take) async throws -> [Gatherings.Outcome] {
        { take in
            await turn.wait()
            let items = take()
            #expect(take() == items, "a second take answers the same items")
            leads.taken.withLock { $0.append(items) }
            return items.map { $0 % 2 == 1 ? .failure(Refused()) : .success($0 * 10) }
        }
    }

    static func until(_ gatherings: Gatherings, _ key: String, gathered: Int) async throws {
        try #require(try await eventually { gatherings.gathered(key) == gathered })
    }

    @Test func writesArrivingWhileTheLeaderWaitsAreMadeWithItsAndEachGetsItsOwnOutcome() async throws {
        let gatherings = Gatherings(maximum: 10) { _, _ in true }
        let (turn, leads) = (Latch(), Leads())
        var writes: [Task<Int, any Error>] = []
        for item in [2, 4, 5, 6] {
            writes.append(Task { try await gatherings.write(item, key: "show", lead: Self.lead(after: turn, recording: leads)) })
            try await Self.until(gatherings, "show", gathered: writes.count)
        }
        let other = Task { try await gatherings.write(8, key: "other show", lead: Self.lead(after: Latch.opened, recording: leads)) }
        #expect(try await other.value == 80, "another key is not gathered with them")
        turn.open()
        #expect(try await writes[0].value == 20)
        #expect(try await writes[1].value == 40)
        await #expect(throws: Refused.self) { try await writes[2].value }
        #expect(try await writes[3].value == 60)
        #expect(leads.all == [[8], [2, 4, 5, 6]])
        #expect(gatherings.gathered("show") == 0)

        // Taken, the gathering is closed: the next write leads a new one.
        #expect(try await gatherings.write(10, key: "show", lead: Self.lead(after: Latch.opened, recording: leads)) == 100)
        #expect(leads.all.last == [10])
    }

    @Test func aFullGatheringOrAWriteThatDoesNotFitLeavesTheWriteToATurnOfItsOwn() async throws {
        // Items fit when they are more than two apart; at most three together.
        let gatherings = Gatherings(maximum: 3) { item, gathered in gathered.allSatisfy { abs($0 - item) > 2 } }
        let (turn, leads) = (Latch(), Leads())
        let leader = Task { try await gatherings.write(2, key: "show", lead: Self.lead(after: turn, recording: leads)) }
        try await Self.until(gatherings, "show", gathered: 1)
        let member = Task { try await gatherings.write(6, key: "show", lead: Self.lead(after: turn, recording: leads)) }
        try await Self.until(gatherings, "show", gathered: 2)
        #expect(try await gatherings.write(4, key: "show", lead: Self.lead(after: Latch.opened, recording: leads)) == 40, "does not fit: alone")
        let third = Task { try await gatherings.write(10, key: "show", lead: Self.lead(after: turn, recording: leads)) }
        try await Self.until(gatherings, "show", gathered: 3)
        #expect(try await gatherings.write(20, key: "show", lead: Self.lead(after: Latch.opened, recording: leads)) == 200, "full: alone")
        turn.open()
        #expect(try await [leader.value, member.value, third.value] == [20, 60, 100])
        #expect(leads.all == [[4], [20], [2, 6, 10]])
    }

    @Test func aLeaderThatGivesUpBeforeItsTurnHandsTheLeadToTheNextMember() async throws {
        let gatherings = Gatherings(maximum: 10) { _, _ in true }
        let (turn, leads) = (Latch(), Leads())
        let quitting = Latch()
        let leader = Task {
            try await gatherings.write(2, key: "show") { _ in
                await quitting.wait()
                throw CancellationError()
            }
        }
        try await Self.until(gatherings, "show", gathered: 1)
        let members = [4, 6].map { item in Task { try await gatherings.write(item, key: "show", lead: Self.lead(after: turn, recording: leads)) } }
        try await Self.until(gatherings, "show", gathered: 3)
        quitting.open()
        await #expect(throws: CancellationError.self) { try await leader.value }
        try await Self.until(gatherings, "show", gathered: 2)
        turn.open()
        #expect(try await members[0].value == 40)
        #expect(try await members[1].value == 60)
        #expect(leads.all == [[4, 6]], "the next member led, without the leader that left")
    }

    @Test func aMemberThatGivesUpLeavesAndALeadThatFailsFailsEveryMemberTaken() async throws {
        let gatherings = Gatherings(maximum: 10) { _, _ in true }
        let turn = Latch()
        let leader = Task {
            try await gatherings.write(2, key: "show") { take in
                await turn.wait()
                #expect(take() == [2, 6], "the member that left is not taken")
                throw Refused()
            }
        }
        try await Self.until(gatherings, "show", gathered: 1)
        let leaving = Task { try await gatherings.write(4, key: "show", lead: Self.lead(after: Latch.opened, recording: Leads())) }
        try await Self.until(gatherings, "show", gathered: 2)
        let staying = Task { try await gatherings.write(6, key: "show", lead: Self.lead(after: Latch.opened, recording: Leads())) }
        try await Self.until(gatherings, "show", gathered: 3)
        leaving.cancel()
        await #expect(throws: CancellationError.self) { try await leaving.value }
        #expect(gatherings.gathered("show") == 2)
        turn.open()
        await #expect(throws: Refused.self) { try await leader.value }
        await #expect(throws: Refused.self) { try await staying.value }
    }
}

extension Latch {
    static var opened: Latch {
        let latch = Latch()
        latch.open()
        return latch
    }
}
