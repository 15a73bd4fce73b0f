import Foundation

/// Small input checks shared by every domain type.
public enum Validate {
    public static func reason(_ value: String) throws { try text(value, field: "reason", max: 500) }

    static func text(_ value: String, field: String, max: Int, allowEmpty: Bool = false) throws {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if !allowEmpty && trimmed.isEmpty { throw HoldfastError.invalid("\(field) must not be empty") }
        if value.count > max { throw HoldfastError.invalid("\(field) must be at most \(max) characters") }
        if value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) {
            throw HoldfastError.invalid("\(field) contains control characters")
        }
    }

    static func email(_ value: String, field: String) throws {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= 255, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !value.contains(where: \.isWhitespace)
        else { throw HoldfastError.invalid("\(field) is not a valid email address") }
    }
}
