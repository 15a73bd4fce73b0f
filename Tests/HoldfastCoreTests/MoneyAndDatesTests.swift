import Foundation
import HoldfastCore
import Testing

@Suite struct MoneyAndDatesTests {
    @Test func moneyParsesAtMostTwoDecimals() throws {
        #expect(try Money(decimal: Decimal(string: "250.5")!).minorUnits == 25_050)
        #expect(try Money(decimal: 199).minorUnits == 19_900)
        #expect(throws: HoldfastError.self) { try Money(decimal: Decimal(string: "1.005")!) }
        #expect(throws: HoldfastError.self) { try Money(decimal: -1) }
    }

    @Test func moneyRoundTripsThroughJSON() throws {
        let data = try JSONEncoder().encode(["price": Money(minorUnits: 35_050)])
        #expect(String(decoding: data, as: UTF8.self) == #"{"price":350.5}"#)
        #expect(try JSONDecoder().decode([String: Money].self, from: data)["price"] == Money(minorUnits: 35_050))
    }

    @Test func calendarDateIsStrict() throws {
        #expect(try CalendarDate("2026-02-28").description == "2026-02-28")
        for bad in ["2026-02-30", "2026-2-3", "26-01-01", "2026/01/01", "", "2026-13-01", "yesterday"] {
            #expect(throws: HoldfastError.self, "\(bad)") { try CalendarDate(bad) }
        }
    }

    @Test func calendarDateFollowsTheTheatresZone() throws {
        let instant = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T11:06:40Z
        #expect(CalendarDate(instant, in: .gmt).description == "2026-11-18")
        let lateEvening = Date(timeIntervalSince1970: 1_795_034_000)  // 19:13Z, after midnight in Kolkata
        #expect(CalendarDate(lateEvening, in: TimeZone(identifier: "Asia/Kolkata")!).description == "2026-11-19")
    }

    @Test func ticketCodesLookLikeTheSeeds() {
        for _ in 0..<200 {
            let code = TicketCode.make()
            #expect(TicketCode.isWellFormed(code), "\(code)")
        }
        #expect(TicketCode.isWellFormed("BMS30F12E2E"))
        #expect(!TicketCode.isWellFormed("BMS30f12e2e"))
    }

    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualBookingClock()
        let start = clock.now()
        clock.advance(by: 301)
        #expect(clock.now().timeIntervalSince(start) == 301)
    }
}
