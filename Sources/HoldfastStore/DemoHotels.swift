import Foundation
import HoldfastCore

/// Fifty hotels in five cities, three room types each, with inventory for the next 60 nights.
public enum DemoHotels {
    static let cities: [(String, Double, Double)] = [
        ("Bengaluru", 12.9716, 77.5946), ("Mumbai", 19.0760, 72.8777), ("Delhi", 28.6139, 77.2090),
        ("Goa", 15.4909, 73.8278), ("Jaipur", 26.9124, 75.7873),
    ]
    /// The demo's cities, for pages that suggest where to search.
    public static var cityNames: [String] { cities.map(\.0) }

    static let names = ["Grand", "Residency", "Palms", "Heritage", "Courtyard", "Lakeview", "Garden", "Skyline", "Harbour", "Orchid"]

    @discardableResult
    public static func loadIfEmpty(into stores: any HoldfastStores, clock: any BookingClock) async throws -> Bool {
        let now = clock.now()
        guard try await !stores.hasHotels(), try await stores.claimSetupStep("demo_hotels", now: now) else { return false }
        let today = CalendarDate(now, in: .gmt)
        let nights = (0..<60).map { today.adding(days: $0) }
        for (cityIndex, city) in cities.enumerated() {
            for (index, name) in names.enumerated() {
                let hotel = Hotel(
                    hotelId: UUID(), name: "\(city.0) \(name)", city: city.0, address: "\(index + 1) \(name) Road, \(city.0)",
                    geoLat: city.1 + Double(index - 5) * 0.011, geoLng: city.2 + Double((index * 7) % 10 - 5) * 0.013, createdAt: now)
                try await stores.saveHotel(hotel)
                let base = 3_000 + (index * 450 + cityIndex * 700) % 4_000
                for (typeIndex, (type, occupancy, factor, rooms)) in [("Standard", 2, 100, 20), ("Deluxe", 3, 160, 10), ("Suite", 4, 280, 4)].enumerated() {
                    let roomType = RoomType(
                        roomTypeId: UUID(), hotelId: hotel.hotelId, name: type, occupancy: occupancy,
                        rate: Money(minorUnits: base * factor), createdAt: now.addingTimeInterval(Double(typeIndex)))
                    try await stores.saveRoomType(roomType)
                    try await stores.setInventory(roomTypeId: roomType.roomTypeId, nights: nights, total: rooms, rate: roomType.rate)
                }
            }
        }
        return true
    }
}
