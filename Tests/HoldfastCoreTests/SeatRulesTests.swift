import Foundation
import HoldfastCore
import Testing

@Suite struct SeatRulesTests {
    let show = Show(
        showId: UUID(), movieId: UUID(), theatreId: UUID(), screenName: "Screen 1", startTime: Date(timeIntervalSince1970: 2_000_000_000),
        localDate: try! CalendarDate("2033-05-18"), price: Money(minorUnits: 20_000),
        categoryPrices: ["RECLINER": Money(minorUnits: 50_000)],
        layout: SeatLayout(rows: [
            .init(label: "A", seats: [1, 2, nil, 3, 4]),
            .init(label: "B", category: "RECLINER", seats: [1, 2]),
        ]),
        createdAt: Date(timeIntervalSince1970: 0))
    let policy = BookingPolicy(maxSeatsPerHold: 3)

    @Test func standardLayoutIsTenByTen() {
        let seats = SeatLayout.standard.seats
        #expect(seats.count == 100)
        #expect(seats.first?.seatId == "A1")
        #expect(seats.last?.seatId == "J10")
    }

    @Test func aisleGapsAreNotSeats() {
        #expect(show.layout.seats.map(\.seatId) == ["A1", "A2", "A3", "A4", "B1", "B2"])
    }

    @Test func selectionRejectsEveryBadList() {
        let cases: [([String], Int?, String)] = [
            ([], nil, "VALIDATION_FAILED"),
            (["A1", "A1"], 2, "DUPLICATE_SEATS"),
            (["A1", "A2"], 3, "QUANTITY_MISMATCH"),
            (["A1", "A2", "A3", "A4"], 4, "TOO_MANY_SEATS"),
            (["A1", "Z9"], 2, "UNKNOWN_SEATS"),
        ]
        for (seats, quantity, code) in cases {
            #expect(performing: { try SeatSelection(seatIds: seats, quantity: quantity, show: show, policy: policy) },
                    throws: { ($0 as? HoldfastError)?.code == code })
        }
    }

    @Test func amountIsTheSumOfSeatPrices() throws {
        let selection = try SeatSelection(seatIds: ["A1", "B2"], quantity: 2, show: show, policy: policy)
        #expect(selection.amount(in: show) == Money(minorUnits: 70_000))
    }

    @Test func showNeedsAPriceForEveryCategory() {
        var unpriced = show
        unpriced.categoryPrices = [:]
        #expect(throws: HoldfastError.self) { try unpriced.validate() }
    }

    @Test func statusFollowsOccupancy() {
        #expect(ShowStatus(taken: 0, total: 100) == .available)
        #expect(ShowStatus(taken: 49, total: 100) == .available)
        #expect(ShowStatus(taken: 50, total: 100) == .fillingFast)
        #expect(ShowStatus(taken: 80, total: 100) == .almostFull)
        #expect(ShowStatus(taken: 100, total: 100) == .almostFull)
        var cancelled = show
        cancelled.cancelled = true
        #expect(cancelled.status(takenSeats: 0) == .cancelled)
    }

    @Test func seatMapShowsLiveClaimsAndMine() {
        let now = Date(timeIntervalSince1970: 1_000)
        let claims = [
            SeatClaim(seatId: "A1", userId: "alice", stage: .held, expiresAt: now.addingTimeInterval(10)),
            SeatClaim(seatId: "A2", userId: "bob", stage: .pending, expiresAt: now.addingTimeInterval(10)),
            SeatClaim(seatId: "A3", userId: "carol", stage: .booked, expiresAt: nil),
            SeatClaim(seatId: "A4", userId: "dave", stage: .held, expiresAt: now),  // lapsed exactly now
        ]
        let map = SeatMap(show: show, claims: claims, now: now, caller: "alice")
        let state = Dictionary(uniqueKeysWithValues: map.seats.map { ($0.id, ($0.state, $0.mine)) })
        #expect(state["A1"]! == (.held, true))
        #expect(state["A2"]! == (.held, false))
        #expect(state["A3"]! == (.booked, false))
        #expect(state["A4"]! == (.available, false))
        #expect(map.availableCount == 3)
    }

    @Test func customerDetailsAreChecked() {
        #expect(throws: Never.self) { try Customer(name: "Asha", email: "asha@example.com", phone: "+91 98765 43210").validate() }
        #expect(throws: HoldfastError.self) { try Customer(name: " ", email: "a@example.com", phone: "9876543210").validate() }
        #expect(throws: HoldfastError.self) { try Customer(name: "A", email: "not-an-email", phone: "9876543210").validate() }
        #expect(throws: HoldfastError.self) { try Customer(name: "A", email: "a@example.com", phone: "12ab").validate() }
    }
}

extension SeatRulesTests {
    @Test func showRefusesPricesForCategoriesItDoesNotHave() {
        var extra = show
        extra.categoryPrices["BALCONY"] = Money(minorUnits: 1)
        #expect(throws: HoldfastError.self) { try extra.validate() }
    }
}
