import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct BestAvailableRaceTests {
    @Test(arguments: StoreBackend.available)
    func manyBuyersAskingForBlocksAtOnceGetDisjointBlocksSideBySide(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let wants = (0..<30).map { 2 + $0 % 3 }  // 90 seats asked for in a hall of 100
            let outcomes = try await withThrowingTaskGroup(of: (Int, Hold?).self) { group in
                for (buyer, count) in wants.enumerated() {
                    group.addTask {
                        let request = try BestAvailable(count: count, policy: fixture.booking.policy)
                        do { return (count, try await fixture.booking.createBestAvailableHold(showId: fixture.show.showId, request: request, userId: "b\(buyer)")) }
                        catch let error as HoldfastError where error.code == "NOT_ENOUGH_SEATS_TOGETHER" { return (count, nil) }
                    }
                }
                return try await group.reduce(into: [(Int, Hold?)]()) { $0.append($1) }
            }
            let holds = outcomes.compactMap(\.1)
            let free = Set(fixture.show.layout.seats.map(\.seatId)).subtracting(holds.flatMap(\.seatIds))
            // Whoever was turned away asked for a block that no longer exists anywhere.
            let turnedAway = outcomes.filter { $0.1 == nil }.map(\.0)
            for count in turnedAway {
                #expect(try BestAvailable(count: count, policy: fixture.booking.policy).blocks(in: fixture.show, free: free).isEmpty,
                        "\(count) seats together were still free")
            }
            #expect(holds.count >= 24, "most buyers are served (\(holds.count) of 30)")
            let seats = holds.flatMap(\.seatIds)
            #expect(Set(seats).count == seats.count, "no seat in two holds")
            for hold in holds {
                let rows = Set(hold.seatIds.map { $0.prefix(1) })
                let numbers = hold.seatIds.map { Int($0.dropFirst())! }.sorted()
                #expect(rows.count == 1 && numbers.last! - numbers.first! == numbers.count - 1, "side by side: \(hold.seatIds)")
            }
            let claims = try await fixture.liveClaims()
            #expect(Set(claims.keys) == Set(seats), "the store holds exactly what was answered")
        }
    }
}
