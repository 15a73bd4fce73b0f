import Foundation
import HoldfastCore
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON in and out, with instants as ISO 8601 UTC with milliseconds.
enum JSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an ISO 8601 date-time such as 2026-01-31T18:30:00Z")
        }
        return decoder
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A JSON response that the idempotency layer can keep and replay byte for byte.
struct JSONReply: ResponseGenerator {
    let status: HTTPResponse.Status
    let body: ByteBuffer

    init(status: HTTPResponse.Status = .ok, _ value: some Encodable) throws {
        self.status = status
        self.body = ByteBuffer(data: try JSON.encoder().encode(value))
    }

    init(status: HTTPResponse.Status, bytes: [UInt8]) {
        self.init(status: status, body: ByteBuffer(bytes: bytes))
    }

    init(status: HTTPResponse.Status, body: ByteBuffer) {
        self.status = status
        self.body = body
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    func response() -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
}

extension Request {
    /// Reads the whole body (bounded) and decodes it, turning every decoding failure into a clear 400.
    func decodeJSON<T: Decodable>(as type: T.Type, limit: Int) async throws -> T {
        try JSON.decode(type, from: try await collectBody(limit: limit))
    }

    func collectBody(limit: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw HoldfastError(.payloadTooLarge, code: "PAYLOAD_TOO_LARGE", message: "The request body is larger than \(limit) bytes")
        }
    }
}

extension JSON {
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        guard buffer.readableBytes > 0 else { throw HoldfastError.invalid("a JSON body is required", code: "INVALID_JSON") }
        guard !hasEscapedNUL(buffer.readableBytesView) else { throw TextRules.nulRefused }
        do {
            return try JSON.decoder().decode(type, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw HoldfastError.invalid(RequestDecodingMessage.describe(error), code: "INVALID_JSON")
        }
    }
}

extension JSON {
    /// True when the JSON text holds an escaped NUL (`\u0000`) anywhere, in a key or a value.
    static func hasEscapedNUL(_ bytes: some Collection<UInt8>) -> Bool {
        var escaped = false
        var window: [UInt8] = []
        for byte in bytes {
            if !window.isEmpty {
                window.append(byte)
                if window.count == 5 {
                    if window == Array("u0000".utf8) { return true }
                    window = []
                }
                continue
            }
            if escaped {
                escaped = false
                if byte == UInt8(ascii: "u") { window = [byte] }
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            }
        }
        return false
    }
}

/// Text every store can keep: PostgreSQL cannot store NUL in text, so no input may carry one.
enum TextRules {
    static let nulRefused = HoldfastError.invalid("text must not contain NUL characters (\\u0000 or %00)", code: "INVALID_TEXT")
}

enum RequestDecodingMessage {
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let joined = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return joined.isEmpty ? "the body" : String(joined.drop(while: { $0 == "." }))
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "missing field '\(key.stringValue)'\(parent)"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) has the wrong type (expected \(typeName(type)))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must not be null (expected \(typeName(type)))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the body is not valid JSON" }
            let detail = (context.underlyingError as? HoldfastError)?.message ?? context.debugDescription
            return "\(path(context.codingPath)): \(detail)"
        @unknown default:
            return "the body could not be read"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Decimal.Type, is Double.Type: "a number"
        default: "\(type)".lowercased()
        }
    }
}
