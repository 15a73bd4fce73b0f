import ArgumentParser
import Foundation
import HoldfastCore
import HoldfastStore

/// Times reconciliation over a synthetic hotel load: hotels with a year of inventory and bookings adding
/// up to `--booking-nights`, some rows drifted on purpose; prints load, dry-run and healing times.
struct BenchReconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-reconcile", abstract: "Time `reconcile` over a synthetic load of booking-nights (seed: < 2 min).")

    @Option(help: "Booking-nights to load.") var bookingNights = 1_000_000
    @Option(help: "Inventory rows to drift (sold + 1 with no booking) for the reconciler to heal.") var drift = 100
    @OptionGroup var store: StoreOptions

    func run() async throws {
        guard (1_000...5_000_000).contains(bookingNights) else { throw ValidationError("booking-nights 1000-5000000") }
        let scratch = try ScratchStore(store, logger: makeLogger)
        defer { scratch.remove() }
        let backend = scratch.backend
        try await backend.run { stores in
            try await stores.migrate()
            guard try await !stores.hasHotels() else { throw ValidationError("the store already has hotels; give an empty database") }
            let load = ContinuousClock.now
            let loaded = try await SyntheticHotels(bookingNights: bookingNights).load(into: stores)
            print("loaded \(loaded.hotels) hotels, \(loaded.inventoryRows) inventory rows, \(loaded.bookings) bookings = \(loaded.bookingNights) booking-nights on \(backend.description) in \(Self.seconds(ContinuousClock.now - load))")
            let drifted = try await stores.driftSold(rows: drift)
            print("drifted \(drifted) inventory rows")
            let reconciler = Reconciler(stores: stores, clock: SystemBookingClock())
            for heal in [false, true, false] {
                let started = ContinuousClock.now
                let report = try await reconciler.run(heal: heal)
                let elapsed = ContinuousClock.now - started
                print("reconcile (\(heal ? "heal" : "dry run")): \(Self.seconds(elapsed)) — found \(report.found), fixed \(report.fixed)")
            }
        }
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}

/// Hotels with three room types and a year of inventory, and stays of 1-5 nights that fill them to about
/// two thirds, until the booking-nights add up.
struct SyntheticHotels {
    let bookingNights: Int
    let nights = 365
    let roomsPerType = 20

    func load(into stores: any HoldfastStores) async throws -> (hotels: Int, inventoryRows: Int, bookings: Int, bookingNights: Int) {
        let clock = SystemBookingClock()
        let now = clock.now()
        let start = try CalendarDate("2027-01-01")
        let days = (0..<nights).map { start.adding(days: $0) }
        // Two thirds of every type's room-nights are booked.
        let perType = nights * roomsPerType * 2 / 3
        let types = max(1, (bookingNights + perType - 1) / perType)
        var generator = SystemRandomNumberGenerator()
        var booked = 0, bookings = 0, hotels = 0, typeCount = 0
        while typeCount < types {
            let hotel = Hotel(
                hotelId: UUID(), name: "Synthetic \(hotels)", city: "City \(hotels % 10)", geoLat: Double(hotels % 90), geoLng: Double(hotels % 180),
                createdAt: now)
            try await stores.saveHotel(hotel)
            hotels += 1
            for name in ["Standard", "Deluxe", "Suite"] where typeCount < types {
                typeCount += 1
                let type = RoomType(roomTypeId: UUID(), hotelId: hotel.hotelId, name: name, occupancy: 2, rate: Money(minorUnits: 10_000), createdAt: now)
                try await stores.saveRoomType(type)
                try await stores.setInventory(roomTypeId: type.roomTypeId, nights: days, total: roomsPerType, rate: type.rate)
                // Fill room by room: consecutive stays of 1-5 nights, a third of the nights left empty.
                var batch: [HotelBooking] = []
                var typeNights = 0
                for room in 0..<roomsPerType {
                    var night = Int.random(in: 0..<3, using: &generator)
                    while night < nights, typeNights < perType, booked + typeNights < bookingNights {
                        let length = min(Int.random(in: 1...5, using: &generator), nights - night)
                        batch.append(HotelBooking(
                            bookingId: UUID(), userId: "guest-\(room)", hotelId: hotel.hotelId, roomTypeId: type.roomTypeId,
                            checkIn: days[night], checkOut: start.adding(days: night + length), rooms: 1, guests: 1,
                            guest: HotelGuest(name: "Guest", email: "guest@example.com"), amount: Money(minorUnits: 10_000 * length),
                            status: .confirmed, createdAt: now))
                        typeNights += length
                        night += length + Int.random(in: 0...2, using: &generator)
                    }
                }
                for chunk in stride(from: 0, to: batch.count, by: 5_000) {
                    try await stores.importHotelBookings(Array(batch[chunk..<min(batch.count, chunk + 5_000)]))
                }
                booked += typeNights
                bookings += batch.count
            }
            if hotels % 20 == 0 { print("  \(booked)/\(bookingNights) booking-nights loaded") }
        }
        return (hotels, typeCount * nights, bookings, booked)
    }
}
