import Foundation

/// A response kept for replay under an Idempotency-Key.
public struct StoredResponse: Sendable, Hashable {
    public let status: Int
    public let body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }
}

public enum IdempotencyClaim: Sendable, Hashable {
    /// First use of the key: run the request, then `complete` or `abandon`.
    case proceed
    /// The same request was answered before.
    case replay(StoredResponse)
    /// The key was used for another request.
    case mismatch
    /// The same request is running elsewhere.
    case inProgress
}

/// Remembers, per user and key, the first answer to a retried write.
public protocol IdempotencyStore: Sendable {
    /// Reserves the key for `fingerprint`; an unfinished reservation older than `lockedUntil` may be taken over.
    func claimIdempotencyKey(userId: String, key: String, fingerprint: String, now: Date, lockedUntil: Date) async throws -> IdempotencyClaim
    func completeIdempotencyKey(userId: String, key: String, response: StoredResponse) async throws
    func abandonIdempotencyKey(userId: String, key: String) async throws
}
