import Foundation

/// An amount in minor units (paise, cents); arithmetic never touches floating point.
/// Encoded in JSON as a decimal number with at most two fraction digits, as the seed's NUMERIC(10,2).
public struct Money: Sendable, Hashable, Comparable, Codable {
    public let minorUnits: Int

    public init(minorUnits: Int) { self.minorUnits = minorUnits }

    public static let zero = Money(minorUnits: 0)

    /// Parses an amount such as 250, 250.5 or 250.50; more than two decimals or a negative value is refused.
    public init(decimal: Decimal) throws {
        var scaled = decimal * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        guard rounded == scaled else { throw HoldfastError.invalid("amounts have at most two decimals") }
        guard rounded >= 0, rounded < 100_000_000_000 else {
            throw HoldfastError.invalid("amounts must be between 0 and 999999999.99")
        }
        self.minorUnits = NSDecimalNumber(decimal: rounded).intValue
    }

    public var decimal: Decimal { Decimal(minorUnits) / 100 }

    /// "360.00": always two decimals, for people.
    public var text: String {
        let cents = abs(minorUnits) % 100
        return "\(minorUnits / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    public static func + (lhs: Money, rhs: Money) -> Money { Money(minorUnits: lhs.minorUnits + rhs.minorUnits) }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(decimal: try container.decode(Decimal.self))
    }

    /// As the nearest double to the amount, which JSON writes with the fewest digits that read back as it
    /// ("360", "360.5", "12.34") — the same text as the Decimal, without Decimal's slow division.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Double(minorUnits) / 100)
    }
}
