/// A validated list of seats for one show: not empty, no duplicates, within the per-hold limit,
/// every seat in the show's layout, and as many as the quantity the buyer asked for.
public struct SeatSelection: Sendable, Hashable {
    public let seatIds: [String]

    public init(seatIds: [String], quantity: Int?, show: Show, policy: BookingPolicy) throws {
        guard !seatIds.isEmpty else { throw HoldfastError.invalid("seatIds must name at least one seat") }
        guard seatIds.count <= policy.maxSeatsPerHold else {
            throw HoldfastError.invalid("at most \(policy.maxSeatsPerHold) seats per hold", code: "TOO_MANY_SEATS")
        }
        var seen = Set<String>()
        let duplicates = seatIds.filter { !seen.insert($0).inserted }
        guard duplicates.isEmpty else {
            throw HoldfastError.invalid("seatIds lists a seat twice: \(duplicates.joined(separator: ", "))", code: "DUPLICATE_SEATS")
        }
        if let quantity, quantity != seatIds.count {
            throw HoldfastError.invalid(
                "quantity \(quantity) does not match the \(seatIds.count) seats in seatIds", code: "QUANTITY_MISMATCH")
        }
        let unknown = seatIds.filter { show.layout.seatsById[$0] == nil }
        guard unknown.isEmpty else {
            throw HoldfastError.invalid("no such seats in this show: \(unknown.joined(separator: ", "))", code: "UNKNOWN_SEATS")
        }
        self.seatIds = seatIds
    }

    /// Sum of the seats' prices in `show`.
    public func amount(in show: Show) -> Money {
        seatIds.reduce(Money.zero) { $0 + show.price(ofCategory: show.layout.seatsById[$1]!.category) }
    }
}
