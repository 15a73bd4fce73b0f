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
    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let timestamp: String
            let seatIds: [String]?
        }
        let error: Detail
    }

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
        let body = Body(error: .init(code: code, message: message, timestamp: JSON.timestamp(now), seatIds: seatIds))
        return (try? JSONReply(status: status, body)) ?? JSONReply(status: .internalServerError, bytes: Array("{}".utf8))
    }
}
