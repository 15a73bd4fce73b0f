import Foundation
import HoldfastStore
import Testing

@Suite struct IdempotencyStoreTests {
    @Test(arguments: StoreBackend.available)
    func keyLifecycle(_ backend: StoreBackend) async throws {
        try await backend.withStores { store in
            let now = Date(timeIntervalSince1970: 1_000)
            let lock = now.addingTimeInterval(30)
            #expect(try await store.claimIdempotencyKey(userId: "u", key: "k", fingerprint: "f1", now: now, lockedUntil: lock) == .proceed)
            #expect(try await store.claimIdempotencyKey(userId: "u", key: "k", fingerprint: "f1", now: now, lockedUntil: lock) == .inProgress)
            #expect(try await store.claimIdempotencyKey(userId: "u", key: "k", fingerprint: "f2", now: now, lockedUntil: lock) == .mismatch)
            // Another user's identical key is independent.
            #expect(try await store.claimIdempotencyKey(userId: "v", key: "k", fingerprint: "f2", now: now, lockedUntil: lock) == .proceed)
            let response = StoredResponse(status: 201, body: Array("{\"ok\":true}".utf8))
            try await store.completeIdempotencyKey(userId: "u", key: "k", response: response)
            #expect(try await store.claimIdempotencyKey(userId: "u", key: "k", fingerprint: "f1", now: now, lockedUntil: lock) == .replay(response))
        }
    }

    @Test(arguments: StoreBackend.available)
    func abandonedOrStaleKeysCanRunAgain(_ backend: StoreBackend) async throws {
        try await backend.withStores { store in
            let now = Date(timeIntervalSince1970: 1_000)
            _ = try await store.claimIdempotencyKey(userId: "u", key: "a", fingerprint: "f", now: now, lockedUntil: now.addingTimeInterval(30))
            try await store.abandonIdempotencyKey(userId: "u", key: "a")
            #expect(try await store.claimIdempotencyKey(userId: "u", key: "a", fingerprint: "g", now: now, lockedUntil: now) == .proceed)

            _ = try await store.claimIdempotencyKey(userId: "u", key: "b", fingerprint: "f", now: now, lockedUntil: now.addingTimeInterval(30))
            let later = now.addingTimeInterval(31)
            #expect(try await store.claimIdempotencyKey(userId: "u", key: "b", fingerprint: "f", now: later, lockedUntil: later) == .proceed)
        }
    }
}
