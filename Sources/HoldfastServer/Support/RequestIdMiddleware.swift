import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Gives every request an id (`RequestIds.id(for:)`) that every log line of the request carries and the
/// response echoes.
struct RequestIdMiddleware<Context: RequestContext>: RouterMiddleware {
    let ids: RequestIds

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = ids.id(for: request.headers)
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = try await next(request, context)
        response.headers[RequestIds.header] = id
        return response
    }
}

/// Request ids: the caller's `X-Request-Id` when it is a plain token, else a new one — a random prefix per
/// process and a counter, so no two processes or requests share one. (A fresh UUID per request cost a file
/// open of /dev/urandom on Linux.)
final class RequestIds: Sendable {
    static let header = HTTPField.Name("X-Request-Id")!

    private let prefix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    private let counter = Atomic<UInt64>(0)

    func id(for headers: HTTPFields) -> String {
        id(given: headers[Self.header])
    }

    /// The caller's id when it is a plain token (1-64 ASCII letters, digits, `-` and `_`), else a new one.
    func id(given: String?) -> String {
        let plain = given.flatMap { id in
            (1...64).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } ? id : nil
        }
        return plain ?? next()
    }

    private func next() -> String {
        let number = counter.add(1, ordering: .relaxed).newValue
        return "\(prefix)-\(String(number, radix: 36))"
    }
}
