import Foundation
import HoldfastCore
@testable import HoldfastPostgres
import HoldfastStore
import PostgresNIO
import Testing

/// On PostgreSQL the first holds that wait for their show's lane together are written by one statement; each still
/// takes all its seats or none, a buyer's second hold still replaces the first, and a seat lost fails only its hold.
@Suite struct FirstHoldGatheringTests {
    /// Runs `body` with a store whose shows write one at a time, and a fixture on the same database.
    static func withOneWriteAtATime(_ body: @Sendable (PostgresStore, Fixture) async throws -> Void) async throws {
        try await Fixture.withPostgresHandles(1) { fixture, stores in try await body(stores[0], fixture) }
    }

    /// Starts each of `holds` on the store (not through the booking service, whose seat check would refuse a taken
    /// seat before the store sees it) while the show's lane is busy, and lets them go once all are gathered.
    static func writeTogether(_ holds: [Hold], on store: PostgresStore, at now: Date) async throws -> [Result<Hold, any Error>] {
        let show = try #require(holds.first?.showId)
        let (busy, release) = await ShowWriteQueueTests.occupy(store.showWrites, .purchase(show))
        let writes = holds.map { hold in Task { try await store.createHold(hold, now: now) } }
        try #require(try await eventually { store.firstHolds.gathered(show) == holds.count })
        try await ShowWriteQueueTests.until(store.showWrites, show, waiting: 1)  // their leader, alone in the lane
        release.open()
        try await busy.value
        var outcomes: [Result<Hold, any Error>] = []
        for write in writes { outcomes.append(await write.result) }
        return outcomes
    }

    static func hold(_ seats: [String], by user: String, _ fixture: Fixture) -> Hold {
        let now = fixture.clock.now()
        return Hold(holdId: UUID(), showId: fixture.show.showId, userId: user, seatIds: seats, status: .held, createdAt: now, expiresAt: now + 600)
    }

    /// The transactions that inserted `holds` (PostgreSQL's `xmin` of their rows): one for holds written together.
    static func writers(of holds: [Hold], _ store: PostgresStore) async throws -> Int {
        try await store.read { connection in
            try await connection.rows(
                "SELECT COUNT(DISTINCT xmin::text)::int AS writers FROM holds WHERE hold_id = ANY(\(holds.map(\.holdId)))", store.logger
            ).first?.value("writers", as: Int.self) ?? 0
        }
    }

    @Test func firstHoldsQueuedTogetherAreWrittenInOneStatementEachWithItsSeatsAndEvent() async throws {
        try await Self.withOneWriteAtATime { store, fixture in
            let earlier = try await fixture.hold(["B1"], by: "eve")
            let second = Self.hold(["B2"], by: "eve", fixture)
            let first = [Self.hold(["A1"], by: "ann", fixture), Self.hold(["A2", "A3"], by: "bob", fixture), Self.hold(["C1"], by: "dan", fixture)]
            let holds = [first[0], first[1], second, first[2]]
            let outcomes = try await Self.writeTogether(holds, on: store, at: fixture.clock.now())
            #expect(try outcomes.map { try $0.get() } == holds)
            #expect(try await Self.writers(of: first, store) == 1, "one statement wrote the first holds")
            // Eve's second hold was left out of it, and replaced her first in a transaction of its own.
            #expect(try await store.hold(earlier.holdId, userId: "eve").status == .released)
            #expect(try await fixture.liveClaims().mapValues(\.userId) == ["A1": "ann", "A2": "bob", "A3": "bob", "B2": "eve", "C1": "dan"])
            for hold in first {
                #expect(try await store.hold(hold.holdId, userId: hold.userId).seatIds == hold.seatIds)
                #expect(try await store.events(aggregateType: "hold", aggregateId: hold.holdId.uuidString).map(\.type) == ["HoldCreated"])
            }
        }
    }

    @Test func aSeatLostFailsOnlyItsHoldAndASecondHoldStillReplacesTheFirst() async throws {
        try await Self.withOneWriteAtATime { store, fixture in
            _ = try await fixture.hold(["A5"], by: "zed")
            let earlier = try await fixture.hold(["B1"], by: "amy")
            let lost = Self.hold(["A4", "A5"], by: "cat", fixture)
            let holds = [Self.hold(["A1"], by: "ann", fixture), lost, Self.hold(["B2"], by: "amy", fixture), Self.hold(["C1"], by: "dan", fixture)]
            let outcomes = try await Self.writeTogether(holds, on: store, at: fixture.clock.now())

            #expect(try outcomes[0].get() == holds[0])
            #expect(throws: HoldfastError.seatsUnavailable(["A5"])) { try outcomes[1].get() }
            #expect(try outcomes[2].get() == holds[2])
            #expect(try outcomes[3].get() == holds[3])
            #expect(try await fixture.liveClaims().mapValues(\.userId) == ["A1": "ann", "A5": "zed", "B2": "amy", "C1": "dan"])
            #expect(try await store.hold(earlier.holdId, userId: "amy").status == .released)
            await #expect(throws: HoldfastError.notFound("Hold")) { try await store.hold(lost.holdId, userId: "cat") }
            #expect(try await store.events(aggregateType: "hold", aggregateId: lost.holdId.uuidString).isEmpty)
        }
    }

    /// Four instances' holds race for overlapping seats, each instance gathering its own: the database stays the only
    /// judge, so no seat is in two holds, and a hold refused wrote nothing at all. (Whether a race's holds end up
    /// written together is chance — a gathering with a lost seat is written one by one — so the test above shows that.)
    @Test func gatheredHoldsOfSeveralInstancesRacingForTheSameSeatsNeverShareOne() async throws {
        try await Fixture.withPostgresHandles(4) { fixture, stores in
            let outcomes = try await withThrowingTaskGroup(of: (Hold, Bool).self) { group in
                for task in 0..<160 {
                    let hold = Self.hold(ClaimRaceTests.block(for: task), by: "user-\(task)", fixture)
                    group.addTask {
                        do {
                            return (try await stores[task % 4].createHold(hold, now: hold.createdAt), true)
                        } catch let error as HoldfastError where error.code == "SEATS_UNAVAILABLE" {
                            #expect(!error.seatIds.isEmpty && Set(error.seatIds).isSubset(of: Set(hold.seatIds)))
                            return (hold, false)
                        }
                    }
                }
                return try await group.reduce(into: [(Hold, Bool)]()) { $0.append($1) }
            }
            let held = outcomes.filter(\.1).map(\.0)
            #expect(!held.isEmpty && held.count < 160, "with four rows of ten seats most holds must lose")
            var owner: [String: String] = [:]
            for hold in held {
                for seat in hold.seatIds {
                    #expect(owner[seat] == nil, "seat \(seat) is in two holds")
                    owner[seat] = hold.userId
                }
            }
            #expect(try await fixture.liveClaims().mapValues(\.userId) == owner, "the claims are the held holds' seats, no more")
            for (hold, stored) in outcomes where !stored {
                await #expect(throws: HoldfastError.notFound("Hold")) { try await stores[0].hold(hold.holdId, userId: hold.userId) }
                #expect(try await stores[0].events(aggregateType: "hold", aggregateId: hold.holdId.uuidString).isEmpty)
            }
        }
    }

    /// Holds gathered behind a busy lane whose deadline passes — the leader's and its members' alike — answer
    /// `STORE_UNAVAILABLE`, write nothing, and leave no gathering or lane behind for the next hold to wait on.
    @Test func gatheredHoldsPastTheDeadlineAnswerUnavailableWriteNothingAndLeaveNoGathering() async throws {
        try await Fixture.withPostgresHandles(1, deadline: .milliseconds(500)) { fixture, stores in
            let store = stores[0]
            let show = fixture.show.showId
            let (busy, release) = await ShowWriteQueueTests.occupy(store.showWrites, .purchase(show))
            let holds = [Self.hold(["A1"], by: "ann", fixture), Self.hold(["A2"], by: "bob", fixture), Self.hold(["A3"], by: "cat", fixture)]
            let writes = holds.map { hold in Task { try await store.createHold(hold, now: hold.createdAt) } }
            for write in writes {
                await #expect { try await write.value } throws: { code(of: $0) == "STORE_UNAVAILABLE" }
            }
            #expect(try await eventually { store.firstHolds.gathered(show) == 0 })
            try await ShowWriteQueueTests.until(store.showWrites, show, waiting: 0)
            #expect(try await fixture.liveClaims().isEmpty)

            release.open()
            try await busy.value
            #expect(store.showWrites.writes(on: show) == (0, 0))
            #expect(try await fixture.hold(["A1", "A2", "A3"], by: "dan").seatIds == ["A1", "A2", "A3"])
        }
    }
}
