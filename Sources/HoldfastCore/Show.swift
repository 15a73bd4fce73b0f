import Foundation

/// One screening of a movie at a theatre. It keeps its own copy of the seat layout, so later
/// layout edits never change the seats of a show that is already on sale.
public struct Show: Sendable, Hashable, Codable {
    public var showId: UUID
    public var movieId: UUID
    public var theatreId: UUID
    public var screenName: String
    public var startTime: Date
    /// The day the show falls on in its theatre's time zone; `GET /movies/{id}/shows?date=` matches this.
    public var localDate: CalendarDate
    /// Price of a STANDARD seat.
    public var price: Money
    /// Prices of the other categories in the layout.
    public var categoryPrices: [String: Money]
    public var layout: SeatLayout
    public var cancelled: Bool
    public var createdAt: Date
    /// Set by the price-change handler after the price last changed.
    public var priceChange: PriceChangeMetadata?

    public init(
        showId: UUID, movieId: UUID, theatreId: UUID, screenName: String, startTime: Date, localDate: CalendarDate,
        price: Money, categoryPrices: [String: Money] = [:], layout: SeatLayout, cancelled: Bool = false,
        createdAt: Date, priceChange: PriceChangeMetadata? = nil
    ) {
        self.priceChange = priceChange
        self.showId = showId
        self.movieId = movieId
        self.theatreId = theatreId
        self.screenName = screenName
        self.startTime = startTime
        self.localDate = localDate
        self.price = price
        self.categoryPrices = categoryPrices
        self.layout = layout
        self.cancelled = cancelled
        self.createdAt = createdAt
    }

    public func price(ofCategory category: String) -> Money {
        category == SeatLayout.standardCategory ? price : categoryPrices[category] ?? price
    }

    /// Every seat of the show with its price.
    public var pricedSeats: [PricedSeat] {
        layout.seats.map { PricedSeat(seat: $0, price: price(ofCategory: $0.category)) }
    }

    public func validate() throws {
        try layout.validate()
        try Validate.text(screenName, field: "screenName", max: 50)
        for category in layout.categories where category != SeatLayout.standardCategory {
            guard categoryPrices[category] != nil else {
                throw HoldfastError.invalid("categoryPrices needs a price for category \(category)")
            }
        }
        let unknown = Set(categoryPrices.keys).subtracting(layout.categories)
        guard unknown.isEmpty else {
            throw HoldfastError.invalid("categoryPrices names categories the layout does not have: \(unknown.sorted().joined(separator: ", "))")
        }
    }

    /// AVAILABLE / FILLING_FAST / ALMOST_FULL / CANCELLED, from the share of seats taken.
    public func status(takenSeats: Int) -> ShowStatus {
        if cancelled { return .cancelled }
        return ShowStatus(taken: takenSeats, total: layout.seats.count)
    }
}

public struct PricedSeat: Sendable, Hashable {
    public let seat: LayoutSeat
    public let price: Money
}

public enum ShowStatus: String, Sendable, Codable {
    case available = "AVAILABLE"
    case fillingFast = "FILLING_FAST"
    case almostFull = "ALMOST_FULL"
    case cancelled = "CANCELLED"

    /// Under half taken is AVAILABLE, from half FILLING_FAST, from 80 % (and sold out) ALMOST_FULL.
    public init(taken: Int, total: Int) {
        guard total > 0 else { self = .almostFull; return }
        switch taken * 100 / total {
        case ..<50: self = .available
        case ..<80: self = .fillingFast
        default: self = .almostFull
        }
    }
}
