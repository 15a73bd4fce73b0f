import Foundation

/// The shape of a screen: rows of numbered seats, with aisle gaps, each row in one price category.
public struct SeatLayout: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        /// "A", "B", … or any short label; seat ids are label + number ("A1").
        public var label: String
        public var category: String
        /// Seat numbers left to right; `nil` is an aisle gap.
        public var seats: [Int?]

        public init(label: String, category: String = SeatLayout.standardCategory, seats: [Int?]) {
            self.label = label
            self.category = category
            self.seats = seats
        }
    }

    public static let standardCategory = "STANDARD"
    public static let maxSeats = 2_000

    public var rows: [Row] {
        didSet { (seats, seatsById) = Self.flatten(rows) }
    }
    /// Every seat in display order (kept with the rows: a layout is read on every hold and seat map).
    public private(set) var seats: [LayoutSeat]
    public private(set) var seatsById: [String: LayoutSeat]

    public init(rows: [Row]) {
        self.rows = rows
        (seats, seatsById) = Self.flatten(rows)
    }

    private enum CodingKeys: String, CodingKey {
        case rows
    }

    public init(from decoder: any Decoder) throws {
        self.init(rows: try decoder.container(keyedBy: CodingKeys.self).decode([Row].self, forKey: .rows))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
    }

    public static func == (left: SeatLayout, right: SeatLayout) -> Bool { left.rows == right.rows }
    public func hash(into hasher: inout Hasher) { hasher.combine(rows) }

    private static func flatten(_ rows: [Row]) -> ([LayoutSeat], [String: LayoutSeat]) {
        let seats = rows.flatMap { row in
            row.seats.compactMap { number in
                number.map { LayoutSeat(seatId: "\(row.label)\($0)", row: row.label, number: $0, category: row.category) }
            }
        }
        // A layout that repeats a seat is refused by `validate()`; until then the first one wins.
        return (seats, Dictionary(seats.map { ($0.seatId, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Seed 001's default: rows A–J, seats 1–10, all standard.
    public static let standard = SeatLayout.grid(rows: 10, seatsPerRow: 10)

    public static func grid(rows: Int, seatsPerRow: Int) -> SeatLayout {
        let labels = (0..<rows).map { String(UnicodeScalar(UInt8(65 + $0))) }
        return SeatLayout(rows: labels.map { Row(label: $0, seats: Array(1...seatsPerRow)) })
    }

    public var categories: Set<String> { Set(rows.map(\.category)) }

    public func validate() throws {
        guard !rows.isEmpty else { throw HoldfastError.invalid("a layout needs at least one row") }
        var labels = Set<String>()
        var count = 0
        for row in rows {
            guard row.label.count <= 3, !row.label.isEmpty, row.label.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw HoldfastError.invalid("row labels are 1-3 letters, got '\(row.label)'")
            }
            guard labels.insert(row.label).inserted else { throw HoldfastError.invalid("row \(row.label) appears twice") }
            try Validate.text(row.category, field: "category", max: 30)
            let numbers = row.seats.compactMap { $0 }
            guard !numbers.isEmpty else { throw HoldfastError.invalid("row \(row.label) has no seats") }
            guard Set(numbers).count == numbers.count, numbers.allSatisfy({ (1...999).contains($0) }) else {
                throw HoldfastError.invalid("row \(row.label) needs distinct seat numbers between 1 and 999")
            }
            count += numbers.count
        }
        guard count <= Self.maxSeats else { throw HoldfastError.invalid("a layout has at most \(Self.maxSeats) seats") }
    }
}

public struct LayoutSeat: Sendable, Hashable {
    public let seatId: String
    public let row: String
    public let number: Int
    public let category: String
}
