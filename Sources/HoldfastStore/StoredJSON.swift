import Foundation
import HoldfastCore

/// How stores keep structured values in one column: JSON with sorted keys; prices as minor units.
public enum StoredJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    public static func encodePrices(_ map: [String: Money]) throws -> String { try encode(map.mapValues(\.minorUnits)) }

    public static func decodePrices(_ text: String) throws -> [String: Money] {
        try decode([String: Int].self, text).mapValues { Money(minorUnits: $0) }
    }
}
