import Foundation
import HoldfastCore
import HoldfastStore

struct MovieInput: Decodable {
    let title: String
    let about: String?
    let thumbnailUrl: String?
    let rating: Decimal?
    let durationMins: Int?
    let ageRating: String?
    let releaseDate: CalendarDate?
    let language: String?
    let format: String?
    let genres: [String]?

    func movie(id: UUID, createdAt: Date) -> Movie {
        Movie(
            movieId: id, title: title, about: about, thumbnailUrl: thumbnailUrl, rating: rating,
            durationMins: durationMins, ageRating: ageRating, releaseDate: releaseDate, language: language,
            format: format, genres: genres ?? [], createdAt: createdAt)
    }
}

struct TheatreInput: Decodable {
    let name: String
    let address: String?
    let geoLat: Double?
    let geoLng: Double?
    let cancellationAvailable: Bool?
    let timeZone: String?

    func theatre(id: UUID, createdAt: Date) -> Theatre {
        Theatre(
            theatreId: id, name: name, address: address, geoLat: geoLat, geoLng: geoLng,
            cancellationAvailable: cancellationAvailable ?? true, timeZone: timeZone ?? "UTC", createdAt: createdAt)
    }
}

/// A screen's layout: either explicit rows, or a plain grid of `rows` x `cols` (seed default 10 x 10).
struct ScreenInput: Decodable {
    let screenName: String
    let layout: SeatLayout?
    let rows: Int?
    let cols: Int?

    func seatLayout() throws -> SeatLayout {
        if let layout {
            guard rows == nil, cols == nil else { throw HoldfastError.invalid("send either layout or rows and cols, not both") }
            return layout
        }
        let rows = rows ?? 10
        let cols = cols ?? 10
        guard (1...26).contains(rows), (1...100).contains(cols) else {
            throw HoldfastError.invalid("a grid has 1-26 rows and 1-100 seats per row")
        }
        return SeatLayout.grid(rows: rows, seatsPerRow: cols)
    }
}

struct ScreenResponse: Encodable {
    let layoutId: UUID
    let theatreId: UUID
    let screenName: String
    let totalSeats: Int
    let layout: SeatLayout
    let createdAt: Date

    init(_ screen: Screen) {
        layoutId = screen.layoutId
        theatreId = screen.theatreId
        screenName = screen.screenName
        totalSeats = screen.layout.seats.count
        layout = screen.layout
        createdAt = screen.createdAt
    }
}

struct ShowInput: Decodable {
    let movieId: String
    let layoutId: String
    let startTime: Date
    let price: Money
    let categoryPrices: [String: Money]?
}

struct ShowUpdateInput: Decodable {
    let startTime: Date?
    let price: Money?
    let categoryPrices: [String: Money]?
}
