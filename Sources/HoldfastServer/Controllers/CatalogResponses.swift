import Foundation
import HoldfastCore
import HoldfastStore

struct ShowResponse: Encodable {
    let showId: UUID
    let movieId: UUID
    let theatreId: UUID
    let screenName: String
    let startTime: Date
    let date: CalendarDate
    let price: Money
    let categoryPrices: [String: Money]
    let status: ShowStatus
    let availableSeats: Int
    let totalSeats: Int
    let theatre: Theatre
    /// Set after the price changed: LastPriceChangeTimestamp, PreviousPrice, DiscountPercentage, IsDiscounted.
    let priceChange: PriceChangeResponse?

    init(_ listing: ShowListing) {
        let show = listing.show
        showId = show.showId
        movieId = show.movieId
        theatreId = show.theatreId
        screenName = show.screenName
        startTime = show.startTime
        date = show.localDate
        price = show.price
        categoryPrices = show.categoryPrices
        status = listing.status
        availableSeats = listing.availableSeats
        totalSeats = show.layout.seats.count
        theatre = listing.theatre
        priceChange = show.priceChange.map(PriceChangeResponse.init)
    }
}

struct ShowsResponse: Encodable {
    let movieId: UUID
    let date: CalendarDate
    let shows: [ShowResponse]
}

struct SeatMapResponse: Encodable {
    struct Row: Encodable {
        let row: String
        let category: String
        /// Seat ids left to right; null marks an aisle gap.
        let seats: [String?]
    }

    let showId: UUID
    let movieId: UUID
    let theatreId: UUID
    let screenName: String
    let startTime: Date
    let status: ShowStatus
    let availableSeats: Int
    let totalSeats: Int
    let rows: [Row]
    let seats: [SeatMapSeat]

    init(_ map: SeatMap) {
        let show = map.show
        showId = show.showId
        movieId = show.movieId
        theatreId = show.theatreId
        screenName = show.screenName
        startTime = show.startTime
        status = map.status
        availableSeats = map.availableCount
        totalSeats = map.seats.count
        rows = show.layout.rows.map { row in
            Row(row: row.label, category: row.category, seats: row.seats.map { $0.map { "\(row.label)\($0)" } })
        }
        seats = map.seats
    }
}

struct PriceChangeResponse: Encodable {
    let lastPriceChangeTimestamp: Date
    let previousPrice: Decimal
    let discountPercentage: Decimal?
    let isDiscounted: Bool

    init(_ metadata: PriceChangeMetadata) {
        lastPriceChangeTimestamp = metadata.lastPriceChangeTimestamp
        previousPrice = metadata.previousPrice
        discountPercentage = metadata.discountPercentage
        isDiscounted = metadata.isDiscounted
    }
}
