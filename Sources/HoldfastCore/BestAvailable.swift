import Foundation

/// Chooses seats for a buyer who asks for a number of seats rather than naming them: a block side by side
/// in one row (an aisle gap breaks a block), that leaves no single seat stranded beside it when another block
/// would not, as close as possible to the screen's best spot (the middle of a row about 60% of the way back).
/// It only ranks blocks from a snapshot; the caller claims one with the claim primitive and, when it loses a
/// race for a seat, asks again without that seat — no lock is held while choosing.
public struct BestAvailable: Sendable, Hashable {
    public let count: Int
    public let category: String?
    public let maxPrice: Money?

    public init(count: Int, category: String? = nil, maxPrice: Money? = nil, policy: BookingPolicy) throws {
        guard (1...policy.maxSeatsPerHold).contains(count) else {
            throw HoldfastError.invalid("quantity must be 1-\(policy.maxSeatsPerHold)", code: "TOO_MANY_SEATS")
        }
        if let category { try Validate.text(category, field: "category", max: 30) }
        self.count = count
        self.category = category
        self.maxPrice = maxPrice
    }

    /// A candidate block and how far it is from the best spot (lower is better).
    public struct Block: Sendable, Hashable {
        public let seatIds: [String]
        public let distance: Double
        /// True when taking it leaves a single free seat stranded beside it.
        public let strandsASeat: Bool
    }

    /// Every block of free seats that fits the request, best first: blocks that strand no seat before those
    /// that do, then by distance from the best spot.
    public func blocks(in show: Show, free: Set<String>) -> [Block] {
        let rows = show.layout.rows
        let bestRow = Double(rows.count - 1) * 0.6
        var blocks: [Block] = []
        for (rowIndex, row) in rows.enumerated() where admits(row, in: show) {
            let middle = Double(row.seats.count - 1) / 2
            // Runs of seats side by side: positions between aisle gaps.
            var run: [(position: Int, seatId: String)] = []
            func scan(_ run: [(position: Int, seatId: String)]) {
                guard run.count >= count else { return }
                let isFree = run.map { free.contains($0.seatId) }
                for start in 0...(run.count - count) where isFree[start..<(start + count)].allSatisfy({ $0 }) {
                    let end = start + count
                    let freeBefore = isFree[..<start].reversed().prefix { $0 }.count
                    let freeAfter = isFree[end...].prefix { $0 }.count
                    let centre = Double(run[start].position + run[end - 1].position) / 2
                    blocks.append(Block(
                        seatIds: run[start..<end].map(\.seatId),
                        distance: abs(Double(rowIndex) - bestRow) * 1.5 + abs(centre - middle),
                        strandsASeat: freeBefore == 1 || freeAfter == 1))
                }
            }
            for (position, number) in row.seats.enumerated() {
                guard let number else {
                    scan(run)
                    run = []
                    continue
                }
                run.append((position, "\(row.label)\(number)"))
            }
            scan(run)
        }
        return blocks.sorted { ($0.strandsASeat ? 1 : 0, $0.distance) < ($1.strandsASeat ? 1 : 0, $1.distance) }
    }

    /// Whether any block of free seats fits the request — whether `blocks` finds one — without ranking them: it
    /// stops at the first (a refusal's check, where most shows have room, must not pay for a ranking).
    public func fits(in show: Show, free: Set<String>) -> Bool {
        for row in show.layout.rows where admits(row, in: show) {
            var run = 0
            for number in row.seats {
                guard let number, free.contains("\(row.label)\(number)") else {
                    run = 0
                    continue
                }
                run += 1
                if run >= count { return true }
            }
        }
        return false
    }

    /// Whether the request's category and price limit let a block be in `row`.
    private func admits(_ row: SeatLayout.Row, in show: Show) -> Bool {
        (category.map { row.category == $0 } ?? true) && (maxPrice.map { show.price(ofCategory: row.category) <= $0 } ?? true)
    }

    /// The best block, or one of the nearly best when many buyers choose at once (up to `spread` blocks, no
    /// more than two rows' distance worse than the best), so that concurrent buyers rarely reach for the same
    /// seats; nil when nothing fits.
    public func choose(in show: Show, free: Set<String>, spread: Int, using generator: inout some RandomNumberGenerator) -> [String]? {
        let ranked = blocks(in: show, free: free)
        guard let best = ranked.first else { return nil }
        let near = ranked.prefix(max(1, spread)).filter { $0.strandsASeat == best.strandsASeat && $0.distance <= best.distance + 3 }
        return near.randomElement(using: &generator)?.seatIds ?? best.seatIds
    }

    public var unavailable: HoldfastError {
        let filters = [category.map { "in \($0)" }, maxPrice.map { "at most \($0.text) each" }].compactMap { $0 }
        return HoldfastError(
            .conflict, code: "NOT_ENOUGH_SEATS_TOGETHER",
            message: "No \(count) seats side by side are free\(filters.isEmpty ? "" : " " + filters.joined(separator: ", "))")
    }
}
