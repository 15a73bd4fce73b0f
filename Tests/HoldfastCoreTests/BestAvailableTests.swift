import Foundation
import HoldfastCore
import Testing

@Suite struct BestAvailableTests {
    static func show(_ layout: SeatLayout, categoryPrices: [String: Money] = [:]) -> Show {
        Show(
            showId: UUID(), movieId: UUID(), theatreId: UUID(), screenName: "1", startTime: Date(timeIntervalSince1970: 2_000_000_000),
            localDate: try! CalendarDate("2033-05-18"), price: Money(minorUnits: 20_000), categoryPrices: categoryPrices, layout: layout,
            cancelled: false, createdAt: Date(timeIntervalSince1970: 0))
    }

    static let policy = BookingPolicy()

    @Test func anEmptyHallGivesTheMiddleOfARowAboutSixtyPercentBack() throws {
        let show = Self.show(.standard)
        let all = Set(show.layout.seats.map(\.seatId))
        let best = try BestAvailable(count: 2, policy: Self.policy).blocks(in: show, free: all).first
        #expect(best?.seatIds == ["F5", "F6"])
        #expect(try BestAvailable(count: 3, policy: Self.policy).blocks(in: show, free: all).first?.seatIds.first?.hasPrefix("F") == true)
    }

    @Test func aBlockNeverSpansAnAisleOrATakenSeat() throws {
        let layout = SeatLayout(rows: [SeatLayout.Row(label: "A", seats: [1, 2, nil, 3, 4, 5])])
        let show = Self.show(layout)
        let request = try BestAvailable(count: 3, policy: Self.policy)
        #expect(request.blocks(in: show, free: ["A1", "A2", "A3", "A4", "A5"]).map(\.seatIds) == [["A3", "A4", "A5"]])
        #expect(request.blocks(in: show, free: ["A1", "A2", "A3", "A5"]).isEmpty)
    }

    @Test func aBlockThatStrandsASingleSeatComesOnlyWhenNothingElseFits() throws {
        let layout = SeatLayout(rows: [SeatLayout.Row(label: "A", seats: Array(1...6))])
        let show = Self.show(layout)
        let request = try BestAvailable(count: 2, policy: Self.policy)
        // Free: A1-A5 (A6 taken). Middle blocks A2-A3 / A3-A4 would strand A1 or A5 alone.
        let ranked = request.blocks(in: show, free: ["A1", "A2", "A3", "A4", "A5"])
        #expect(ranked.first.map { !$0.strandsASeat } == true)
        #expect(ranked.first?.seatIds == ["A1", "A2"] || ranked.first?.seatIds == ["A4", "A5"])
        // Free: A2-A4: every pair strands a seat; the least bad one is still offered.
        let forced = request.blocks(in: show, free: ["A2", "A3", "A4"])
        #expect(forced.count == 2 && forced.allSatisfy(\.strandsASeat))
    }

    @Test func categoryAndPriceLimitFilterTheRows() throws {
        let layout = SeatLayout(rows: [
            SeatLayout.Row(label: "A", seats: [1, 2, 3]), SeatLayout.Row(label: "B", category: "RECLINER", seats: [1, 2, 3]),
        ])
        let show = Self.show(layout, categoryPrices: ["RECLINER": Money(minorUnits: 50_000)])
        let free = Set(show.layout.seats.map(\.seatId))
        #expect(try BestAvailable(count: 2, category: "RECLINER", policy: Self.policy).blocks(in: show, free: free).allSatisfy { $0.seatIds[0].hasPrefix("B") })
        #expect(try BestAvailable(count: 2, maxPrice: Money(minorUnits: 30_000), policy: Self.policy).blocks(in: show, free: free).allSatisfy { $0.seatIds[0].hasPrefix("A") })
        #expect(try BestAvailable(count: 2, category: "BALCONY", policy: Self.policy).blocks(in: show, free: free).isEmpty)
        #expect(throws: HoldfastError.self) { try BestAvailable(count: 11, policy: Self.policy) }
    }

    @Test func aBlockFitsExactlyWhenThereIsOneToRank() throws {
        // Aisles, categories and a price limit; seats taken at random, from an empty hall to a full one.
        let layout = SeatLayout(rows: [
            SeatLayout.Row(label: "A", seats: [1, 2, nil, 3, 4, 5, nil, 6]), SeatLayout.Row(label: "B", seats: Array(1...9)),
            SeatLayout.Row(label: "C", category: "RECLINER", seats: [1, 2, 3, nil, 4, 5]),
        ])
        let show = Self.show(layout, categoryPrices: ["RECLINER": Money(minorUnits: 50_000)])
        let seats = show.layout.seats.map(\.seatId)
        // A failing case is printed whole: the request and the free seats.
        var generator = SystemRandomNumberGenerator()
        let requests = try (1...4).flatMap { count in
            try [
                BestAvailable(count: count, policy: Self.policy), BestAvailable(count: count, category: "RECLINER", policy: Self.policy),
                BestAvailable(count: count, maxPrice: Money(minorUnits: 30_000), policy: Self.policy),
            ]
        }
        var both = (fits: 0, none: 0)
        for _ in 0..<400 {
            let share = Double.random(in: 0...1, using: &generator)
            let free = Set(seats.filter { _ in Double.random(in: 0...1, using: &generator) < share })
            for request in requests {
                let fits = request.fits(in: show, free: free)
                #expect(fits == !request.blocks(in: show, free: free).isEmpty, "\(request) \(free.sorted())")
                if fits { both.fits += 1 } else { both.none += 1 }
            }
        }
        #expect(both.fits > 500 && both.none > 500, "both answers were tried")
    }

    @Test func choosingSpreadsBuyersOverNearlyEqualBlocks() throws {
        let show = Self.show(.standard)
        let free = Set(show.layout.seats.map(\.seatId))
        let request = try BestAvailable(count: 2, policy: Self.policy)
        var generator = SystemRandomNumberGenerator()
        let picks = Set((0..<50).compactMap { _ in request.choose(in: show, free: free, spread: 4, using: &generator) })
        #expect(picks.count > 1 && picks.count <= 4)
        let best = try #require(request.blocks(in: show, free: free).first)
        #expect(picks.allSatisfy { pick in request.blocks(in: show, free: free).first { $0.seatIds == pick }!.distance <= best.distance + 3 })
    }
}
