import Foundation
import HoldfastCore
import HoldfastStore
import Hummingbird

extension Parameters {
    /// A path id, or 400 when it is not a UUID.
    func id(_ name: String) throws -> UUID {
        try RequestParameters.uuid(get(name) ?? "", field: name)
    }
}

enum RequestParameters {
    static func uuid(_ text: String, field: String) throws -> UUID {
        guard let id = UUID(uuidString: text) else {
            throw HoldfastError.invalid("\(field) is not a valid id: '\(text.prefix(64))'", code: "INVALID_ID")
        }
        return id
    }

    static func page(_ query: [String: String]) throws -> PageRequest {
        let page = try int(query["page"], field: "page", range: 1...100_000) ?? 1
        let size = try int(query["pageSize"], field: "pageSize", range: 1...PageRequest.maxPageSize) ?? 20
        return PageRequest(page: page, pageSize: size)
    }

    static func int(_ text: String?, field: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw HoldfastError.invalid("\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func text(_ query: [String: String], _ field: String, max: Int = 50) throws -> String? {
        guard let value = query[field] else { return nil }
        guard !value.isEmpty, value.count <= max else { throw HoldfastError.invalid("\(field) must be 1-\(max) characters") }
        return value
    }
}

extension Request {
    /// Query parameters by name; a parameter given twice is refused rather than guessed at.
    func queryParameters(allowed: Set<String>) throws -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in uri.queryParameters {
            let name = String(key)
            guard allowed.contains(name) else {
                throw HoldfastError.invalid("unknown query parameter '\(name)'; allowed: \(allowed.sorted().joined(separator: ", "))")
            }
            guard result[name] == nil else { throw HoldfastError.invalid("query parameter '\(name)' is given twice") }
            result[name] = String(value)
        }
        return result
    }
}
