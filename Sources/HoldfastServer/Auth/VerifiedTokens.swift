import Foundation
import HoldfastCore
import Synchronization

/// Bearer tokens whose signature and claims were verified, with the identity they carry, until they expire: a
/// client sends the same token with every request, and verifying it (base64, HMAC, two JSON decodes) was a tenth
/// of a busy server's time. A token's text fixes its signature and claims, so a kept answer is the one
/// verification would give again — except for expiry, which is checked on every use.
final class VerifiedTokens: Sendable {
    private struct Entry {
        let identity: Identity
        let expiresAt: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The identity of `token` if it was verified before and has not expired at `now`.
    func identity(_ token: String, now: Date) -> Identity? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now < entry.expiresAt else {
                entries[token] = nil
                return nil
            }
            return entry.identity
        }
    }

    func keep(_ token: String, identity: Identity, expiresAt: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = Entry(identity: identity, expiresAt: expiresAt)
        }
    }
}
