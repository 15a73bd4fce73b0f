import Foundation

/// One value of a ticket attribute (seed 003 keeps tickets as flat DynamoDB items).
public enum AttributeValue: Sendable, Hashable, Codable {
    case string(String)
    case number(Decimal)
    case bool(Bool)
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Decimal.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "ticket attributes are strings, numbers, booleans or null")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    public var number: Decimal? { if case .number(let value) = self { value } else { nil } }
    public var string: String? { if case .string(let value) = self { value } else { nil } }
}

/// A seed-003 ticket: the `Theatre-Seat` key and its attributes (Movie, Price, …).
public struct Ticket: Sendable, Hashable {
    public static let keyName = "Theatre-Seat"
    /// Attributes only the price-change handler writes.
    public static let handlerAttributes: Set<String> = ["LastPriceChangeTimestamp", "PreviousPrice", "DiscountPercentage", "IsDiscounted"]

    public let theatreSeat: String
    public var attributes: [String: AttributeValue]

    public init(theatreSeat: String, attributes: [String: AttributeValue]) {
        self.theatreSeat = theatreSeat
        self.attributes = attributes
    }

    /// The ticket with `name` set to `value`, and the price change it makes, if it changes a set Price.
    public func setting(_ name: String, to value: AttributeValue, at time: Date) -> (Ticket, PriceChange?) {
        var updated = self
        updated.attributes[name] = value
        guard name == "Price", let old = price, let new = value.number, old != new else { return (updated, nil) }
        return (updated, PriceChange(subject: .ticket, key: theatreSeat, movie: movie, oldPrice: old, newPrice: new, changedAt: time))
    }

    /// The ticket with the handler's metadata, unless it already carries this change's.
    public func withMetadata(of change: PriceChange) -> Ticket? {
        let metadata = change.metadata.attributes
        guard attributes["LastPriceChangeTimestamp"] != metadata["LastPriceChangeTimestamp"] else { return nil }
        var updated = self
        updated.attributes.merge(metadata) { _, new in new }
        return updated
    }

    public var movie: String? { attributes["Movie"]?.string }
    public var price: Decimal? { attributes["Price"]?.number }

    public static func validateKey(_ key: String) throws {
        guard (1...64).contains(key.count), key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) else {
            throw HoldfastError.invalid("Theatre-Seat must be 1-64 letters, digits or -_.: (e.g. 1-A9)", code: "INVALID_TICKET_KEY")
        }
    }

    /// Checks an attribute a client may set: not the key, not handler-managed, a sane name, a valid Price.
    public static func validateAttribute(_ name: String, _ value: AttributeValue) throws {
        guard name != keyName else { throw HoldfastError.invalid("\(keyName) is the key and cannot be changed") }
        guard !handlerAttributes.contains(name) else { throw HoldfastError.invalid("\(name) is set by the price-change handler") }
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }) else {
            throw HoldfastError.invalid("attribute names are 1-64 letters, digits, - or _")
        }
        if case .string(let text) = value, text.count > 1_000 { throw HoldfastError.invalid("\(name) is longer than 1000 characters") }
        if name == "Price" {
            guard let price = value.number, price >= 0, price < 1_000_000_000 else {
                throw HoldfastError.invalid("Price must be a number from 0 to 999999999", code: "INVALID_PRICE")
            }
        }
        if name == "Movie" {
            guard let movie = value.string, !movie.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw HoldfastError.invalid("Movie must be a non-empty string")
            }
        }
    }
}

/// What the price-change handler adds: when, from what, and by how much it went down.
public struct PriceChangeMetadata: Sendable, Hashable, Codable {
    public let lastPriceChangeTimestamp: Date
    public let previousPrice: Decimal
    /// Percentage saved, two decimals; nil when the price did not go down.
    public let discountPercentage: Decimal?
    public let isDiscounted: Bool

    public init(oldPrice: Decimal, newPrice: Decimal, at time: Date) {
        lastPriceChangeTimestamp = time
        previousPrice = oldPrice
        if newPrice < oldPrice, oldPrice > 0 {
            var raw = (oldPrice - newPrice) / oldPrice * 100
            var rounded = Decimal()
            NSDecimalRound(&rounded, &raw, 2, .plain)
            discountPercentage = rounded
            isDiscounted = true
        } else {
            discountPercentage = nil
            isDiscounted = false
        }
    }

    /// The seed's attribute names and values.
    public var attributes: [String: AttributeValue] {
        [
            "LastPriceChangeTimestamp": .string(lastPriceChangeTimestamp.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
            "PreviousPrice": .number(previousPrice),
            "DiscountPercentage": discountPercentage.map { .number($0) } ?? .null,
            "IsDiscounted": .bool(isDiscounted),
        ]
    }
}

/// The payload of PriceChangeInitiated: which price changed, from what to what.
public struct PriceChange: Sendable, Hashable, Codable {
    public enum Subject: String, Sendable, Codable {
        case ticket
        case show
    }

    public let subject: Subject
    /// The ticket's Theatre-Seat, or the show id.
    public let key: String
    public let movie: String?
    public let oldPrice: Decimal
    public let newPrice: Decimal
    public let changedAt: Date

    public init(subject: Subject, key: String, movie: String?, oldPrice: Decimal, newPrice: Decimal, changedAt: Date) {
        self.subject = subject
        self.key = key
        self.movie = movie
        self.oldPrice = oldPrice
        self.newPrice = newPrice
        self.changedAt = changedAt
    }

    public var metadata: PriceChangeMetadata { PriceChangeMetadata(oldPrice: oldPrice, newPrice: newPrice, at: changedAt) }
}
