import Foundation

/// One change of one seat, as the seat-history trigger wrote it.
public struct SeatHistoryEntry: Sendable, Hashable, Codable {
    /// AVAILABLE, HELD, PENDING (ordered, waiting for payment) or BOOKED.
    public let fromState: String
    public let toState: String
    /// Whose claim it is now (nil when the seat became free).
    public let userId: String?
    /// Whose claim it was before.
    public let previousUserId: String?
    public let holdId: UUID?
    public let orderId: UUID?
    /// When the database wrote it.
    public let at: Date

    public init(fromState: String, toState: String, userId: String?, previousUserId: String?, holdId: UUID?, orderId: UUID?, at: Date) {
        self.fromState = fromState
        self.toState = toState
        self.userId = userId
        self.previousUserId = previousUserId
        self.holdId = holdId
        self.orderId = orderId
        self.at = at
    }
}

/// A show's sales as counted in the store: holds and orders by status (lapsed ones as EXPIRED), money taken
/// and given back, tickets through the door.
public struct SalesCounts: Sendable, Hashable {
    public var holds: [HoldStatus: Int]
    public var orders: [OrderStatus: Int]
    /// The amounts of CONFIRMED orders.
    public var revenue: Money
    /// Refunds that went through.
    public var refunded: Money
    public var checkedIn: Int

    public init(holds: [HoldStatus: Int] = [:], orders: [OrderStatus: Int] = [:], revenue: Money = .zero, refunded: Money = .zero, checkedIn: Int = 0) {
        self.holds = holds
        self.orders = orders
        self.revenue = revenue
        self.refunded = refunded
        self.checkedIn = checkedIn
    }
}

/// Per show: seats by state and category, revenue, the funnel (holds → orders → paid) and how much lapsed.
public struct ShowReport: Sendable, Hashable, Encodable {
    public struct SeatCounts: Sendable, Hashable, Encodable {
        public var total = 0
        public var available = 0
        public var held = 0
        public var booked = 0
        public var price: Money?

        mutating func count(_ state: SeatState) {
            total += 1
            switch state {
            case .available: available += 1
            case .held: held += 1
            case .booked: booked += 1
            }
        }
    }

    public struct Funnel: Sendable, Hashable, Encodable {
        public let holds: Int
        public let orders: Int
        public let paid: Int
        /// orders / holds, paid / orders, paid / holds; nil before the first hold or order.
        public let holdToOrder: Double?
        public let orderToPaid: Double?
        public let holdToPaid: Double?
    }

    public let showId: UUID
    public let seats: SeatCounts
    public let byCategory: [String: SeatCounts]
    public let revenue: Money
    public let refunded: Money
    public let holds: [String: Int]
    public let orders: [String: Int]
    public let funnel: Funnel
    /// Expired holds / holds, expired orders / orders.
    public let holdExpiryRate: Double?
    public let orderExpiryRate: Double?
    public let checkedIn: Int

    public init(map: SeatMap, counts: SalesCounts) {
        var all = SeatCounts()
        var byCategory: [String: SeatCounts] = [:]
        for seat in map.seats {
            all.count(seat.state)
            byCategory[seat.category, default: SeatCounts(price: seat.price)].count(seat.state)
        }
        func ratio(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : (Double(part) / Double(whole) * 1_000).rounded() / 1_000 }
        let holdCount = counts.holds.values.reduce(0, +)
        let orderCount = counts.orders.values.reduce(0, +)
        showId = map.show.showId
        seats = all
        self.byCategory = byCategory
        revenue = counts.revenue
        refunded = counts.refunded
        holds = Dictionary(uniqueKeysWithValues: counts.holds.map { ($0.key.rawValue, $0.value) })
        orders = Dictionary(uniqueKeysWithValues: counts.orders.map { ($0.key.rawValue, $0.value) })
        funnel = Funnel(
            holds: holdCount, orders: orderCount, paid: counts.orders[.confirmed, default: 0],
            holdToOrder: ratio(orderCount, holdCount), orderToPaid: ratio(counts.orders[.confirmed, default: 0], orderCount),
            holdToPaid: ratio(counts.orders[.confirmed, default: 0], holdCount))
        holdExpiryRate = ratio(counts.holds[.expired, default: 0], holdCount)
        orderExpiryRate = ratio(counts.orders[.expired, default: 0], orderCount)
        checkedIn = counts.checkedIn
    }
}
