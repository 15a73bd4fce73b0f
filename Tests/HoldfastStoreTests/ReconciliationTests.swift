import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct ReconciliationTests {
    @Test(arguments: StoreBackend.available)
    func findsAndHealsCorruptedDerivedDataAndReportsWhatItCannotHeal(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let stores = fixture.stores
            let a = try await fixture.order(["A1", "A2"], by: "alice")
            _ = try await fixture.booking.confirmPayment(orderId: a.orderId, userId: "alice")
            let b = try await fixture.order(["B1"], by: "bob")
            _ = try await fixture.booking.confirmPayment(orderId: b.orderId, userId: "bob")
            let hotel = try await HotelFixture.make(stores, rooms: 5)
            _ = try await hotel.service.book(userId: "carol", roomTypeId: hotel.roomType.roomTypeId, stay: try hotel.stay(1, 4), rooms: 2, guests: 2, guest: .test)
            let reconciler = Reconciler(stores: stores, clock: fixture.clock)
            let clean = try await reconciler.run(heal: false)
            #expect(clean.found == 0 && clean.checks.count == 9)
            #expect(clean.checks.first?.examined == 14)

            let type = hotel.roomType.roomTypeId.uuidString
            let night = { (day: Int) in hotel.start.adding(days: day).description }
            try await SchemaGuaranteeTests.rawSQL(stores, "UPDATE hotel_inventory SET sold = sold + 2 WHERE room_type_id = '\(type)' AND night = '\(night(2))'")
            try await SchemaGuaranteeTests.rawSQL(stores, "UPDATE hotel_inventory SET sold = 0 WHERE room_type_id = '\(type)' AND night = '\(night(3))'")
            try await SchemaGuaranteeTests.rawSQL(stores, "DELETE FROM seat_claims WHERE seat_id = 'A2'")
            // An unpaid order whose seat claims to be booked.
            _ = try await fixture.order(["J10"], by: "mallory")
            try await SchemaGuaranteeTests.rawSQL(stores, "UPDATE seat_claims SET stage = 'BOOKED', expires_at = NULL WHERE seat_id = 'J10'")
            let seats = backend == .sqlite ? #"'["B1","A1"]'"# : "ARRAY['B1','A1']"
            try await SchemaGuaranteeTests.rawSQL(stores, "UPDATE orders SET seat_ids = \(seats) WHERE order_id = '\(b.orderId.uuidString)'")

            let dry = try await reconciler.run(heal: false)
            #expect(dry.found == 6 && dry.fixed == 0)
            #expect(try await hotel.nights().map(\.sold)[1...3] == [2, 4, 0], "a dry run changes nothing")
            #expect(try await stores.reconciliationReports(limit: 5).isEmpty, "a dry run keeps no report")

            let healed = try await reconciler.run(heal: true)
            let byName = Dictionary(uniqueKeysWithValues: healed.checks.map { ($0.name, $0) })
            #expect(byName["room nights: sold equals the rooms of their bookings"].map { ($0.found, $0.fixed) } ?? (0, 0) == (2, 2))
            #expect(byName["seats: every CONFIRMED order's seats are BOOKED for it"].map { ($0.found, $0.fixed) } ?? (0, 0) == (2, 1))
            #expect(byName["seats: every BOOKED seat belongs to a CONFIRMED order"].map { ($0.found, $0.fixed) } ?? (0, 0) == (1, 1))
            #expect(byName["seats: no seat in two CONFIRMED orders"].map { ($0.found, $0.fixed) } ?? (0, 0) == (1, 0))
            #expect(healed.found == 6 && healed.fixed == 4 && !healed.clean)
            #expect(byName["seats: no seat in two CONFIRMED orders"]?.samples.first?.contains("A1") == true)

            #expect(try await hotel.nights().map(\.sold)[1...3] == [2, 2, 2])
            let map = try await fixture.booking.seatMap(showId: fixture.show.showId, caller: nil)
            #expect(map.seats.first(where: { $0.id == "A2" })?.state == .booked)
            #expect(map.seats.first(where: { $0.id == "J10" })?.state == .available)
            #expect(try await stores.reconciliationReports(limit: 5).map(\.reportId) == [healed.reportId])

            // What is left is the double sale only, for a person to settle.
            let after = try await reconciler.run(heal: false)
            #expect(after.found == 2 && after.checks.allSatisfy { $0.found == 0 || $0.name.hasPrefix("seats:") })
        }
    }

    @Test(arguments: StoreBackend.available)
    func overbookedNightsAreSettledByTheResolverAndAJobLeaseHasOneOwner(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let hotel = try await HotelFixture.make(stores, rooms: 2)
            _ = try await hotel.service.book(userId: "dan", roomTypeId: hotel.roomType.roomTypeId, stay: try hotel.stay(0, 2), rooms: 2, guests: 2, guest: .test)
            try await stores.setInventory(roomTypeId: hotel.roomType.roomTypeId, nights: [hotel.start], total: 1, rate: hotel.roomType.rate)
            let report = try await Reconciler(stores: stores, clock: ManualBookingClock()).run(heal: true)
            let check = try #require(report.checks.first { $0.name.hasPrefix("room nights: none sold beyond") })
            // Nowhere to move the guest in a one-hotel town: escalated, which settles the night.
            #expect(check.found == 1 && check.fixed == 1)
            #expect(try await stores.hotelBookings(status: .needsAttention, page: PageRequest()).total == 1)

            let now = Date(timeIntervalSince1970: 1_000)
            #expect(try await stores.claimJob("reconcile", owner: "a", until: now.addingTimeInterval(60), now: now))
            #expect(try await !stores.claimJob("reconcile", owner: "b", until: now.addingTimeInterval(90), now: now.addingTimeInterval(30)))
            #expect(try await stores.claimJob("reconcile", owner: "a", until: now.addingTimeInterval(120), now: now.addingTimeInterval(30)))
            #expect(try await stores.claimJob("reconcile", owner: "b", until: now.addingTimeInterval(300), now: now.addingTimeInterval(121)))
        }
    }

    @Test(arguments: StoreBackend.available)
    func importedBookingsCountOnTheirNightsAndDriftIsFound(_ backend: StoreBackend) async throws {
        try await backend.withStores { stores in
            let hotel = try await HotelFixture.make(stores, rooms: 1)
            let imported = (0..<3).map { index in
                HotelBooking(
                    bookingId: UUID(), userId: "import-\(index)", hotelId: hotel.roomType.hotelId, roomTypeId: hotel.roomType.roomTypeId,
                    checkIn: hotel.start.adding(days: index), checkOut: hotel.start.adding(days: index + 2), rooms: 1, guests: 1, guest: .test,
                    amount: Money(minorUnits: 1_000), status: .confirmed, createdAt: Date())
            }
            try await stores.importHotelBookings(imported)
            // Imports record what exists, even beyond the total: night 1 and 2 now hold two bookings each.
            #expect(try await hotel.nights().map(\.sold)[0...4] == [1, 2, 2, 1, 0])
            #expect(try await stores.overbookedNights(limit: 10).count == 2)
            #expect(try await stores.driftSold(rows: 3) == 3)
            let report = try await Reconciler(stores: stores, clock: ManualBookingClock()).run(heal: false)
            #expect(report.checks.first?.found == 3)
        }
    }
}
