import Foundation
import HoldfastCore
import Hummingbird
import Logging

/// The one place where errors become HTTP: `{"error":{"code","message","timestamp"}}` with the right
/// status, for domain errors, Hummingbird's own errors (unknown route, wrong method) and anything unexpected.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let clock: any BookingClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let rendered = ErrorRendering.render(error, now: clock.now())
            if rendered.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            }
            var response = try rendered.response(from: request, context: context)
            if let seconds = (error as? HoldfastError)?.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }
}

enum ErrorRendering {
    static func status(of kind: HoldfastError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalidInput: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .gone: .gone
        case .idempotencyMismatch: .unprocessableContent
        case .paymentRequired: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")
        case .payloadTooLarge: .contentTooLarge
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .internalFailure: .internalServerError
        }
    }

    static func render(_ error: any Error, now: Date) -> JSONReply {
        let status: HTTPResponse.Status
        let code: String
        let message: String
        var seatIds: [String]?
        switch error {
        case let domain as HoldfastError:
            status = Self.status(of: domain.kind)
            code = domain.code
            message = domain.message
            seatIds = domain.seatIds.isEmpty ? nil : domain.seatIds
        case let http as HTTPResponseError:
            status = http.status
            code = http.status == .notFound ? "NOT_FOUND" : http.status.reasonPhrase.uppercased().replacingOccurrences(of: " ", with: "_")
            message = (http as? HTTPError)?.body ?? http.status.reasonPhrase
        default:
            status = .internalServerError
            code = "INTERNAL_ERROR"
            message = "An unexpected error occurred"
        }
        return JSONReply(status: status, bytes: body(code: code, message: message, seatIds: seatIds, timestamp: JSON.timestamp(now)))
    }

    /// `{"error":{"code":…,"message":…,"seatIds":[…],"timestamp":…}}` — what `JSONEncoder` writes for it (sorted keys, no
    /// `seatIds` when there are none), written directly: a refused hold, the answer most buyers get when a show
    /// opens, spent a sixteenth of its time in the encoder.
    static func body(code: String, message: String, seatIds: [String]?, timestamp: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + code.utf8.count + message.utf8.count + (seatIds?.count ?? 0) * 8)
        bytes.append(contentsOf: #"{"error":{"code":"#.utf8)
        JSONText.append(code, to: &bytes)
        bytes.append(contentsOf: #","message":"#.utf8)
        JSONText.append(message, to: &bytes)
        if let seatIds {
            bytes.append(contentsOf: #","seatIds":["#.utf8)
            for (index, seat) in seatIds.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONText.append(seat, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
        bytes.append(contentsOf: #","timestamp":"#.utf8)
        JSONText.append(timestamp, to: &bytes)
        bytes.append(contentsOf: "}}".utf8)
        return bytes
    }
}

/// JSON string literals as `JSONEncoder` writes them with `.withoutEscapingSlashes`: quotes, backslashes and control
/// characters escaped, everything else as its UTF-8.
public enum JSONText {
    private static let hex = Array("0123456789abcdef".utf8)

    public static func append(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(contentsOf: [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
