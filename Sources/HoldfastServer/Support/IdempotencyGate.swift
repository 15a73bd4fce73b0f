import Crypto
import Foundation
import HoldfastCore
import HoldfastStore
import HTTPTypes
import Hummingbird
import NIOCore

/// Runs a retryable write at most once per user and `Idempotency-Key`: a replay of the same request
/// gets the first answer (success or 4xx) byte for byte; the key with another request gets 422.
/// Failures that say nothing about the request (store down, crash) free the key for a retry.
struct IdempotencyGate: Sendable {
    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    let store: any IdempotencyStore
    let clock: any BookingClock
    let lockSeconds: Double

    func run(
        _ request: Request, body: ByteBuffer, identity: Identity, operation: () async throws -> JSONReply
    ) async throws -> Response {
        guard let key = request.headers[Self.header] else { return try await operation().response() }
        guard (1...255).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
            throw HoldfastError.invalid("Idempotency-Key must be 1-255 visible ASCII characters", code: "INVALID_IDEMPOTENCY_KEY")
        }
        let now = clock.now()
        let claim = try await store.claimIdempotencyKey(
            userId: identity.userId, key: key, fingerprint: fingerprint(request, body: body), now: now,
            lockedUntil: now.addingTimeInterval(lockSeconds))
        switch claim {
        case .mismatch: throw HoldfastError.idempotencyKeyReused
        case .inProgress: throw HoldfastError.idempotencyInProgress
        case .replay(let stored):
            var response = JSONReply(status: .init(code: stored.status), bytes: stored.body).response()
            response.headers[Self.replayedHeader] = "true"
            return response
        case .proceed:
            let reply: JSONReply
            do {
                reply = try await operation()
            } catch let error as HoldfastError where error.kind != .unavailable && error.kind != .internalFailure {
                reply = ErrorRendering.render(error, now: clock.now())
            } catch {
                try? await store.abandonIdempotencyKey(userId: identity.userId, key: key)
                throw error
            }
            try await store.completeIdempotencyKey(
                userId: identity.userId, key: key,
                response: StoredResponse(status: reply.status.code, body: Array(buffer: reply.body)))
            return reply.response()
        }
    }

    private func fingerprint(_ request: Request, body: ByteBuffer) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: Data(buffer: body))
        return hasher.finalize().lowercaseHex
    }
}
