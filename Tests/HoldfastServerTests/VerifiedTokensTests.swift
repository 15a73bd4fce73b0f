import Foundation
import HoldfastCore
@testable import HoldfastServer
import HTTPTypes
import Testing

/// Verified bearer tokens are kept, but never past their expiry.
@Suite struct VerifiedTokensTests {
    @Test func aKeptTokenServesUntilItExpires() {
        let tokens = VerifiedTokens(capacity: 2)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let alice = Identity(userId: "alice", role: .customer)
        tokens.keep("t1", identity: alice, expiresAt: now.addingTimeInterval(60))
        #expect(tokens.identity("t1", now: now.addingTimeInterval(59))?.userId == "alice")
        #expect(tokens.identity("t1", now: now.addingTimeInterval(60)) == nil)
        #expect(tokens.identity("t2", now: now) == nil)
        // Past its capacity it forgets what it kept, and verification runs again.
        for token in ["a", "b", "c"] { tokens.keep(token, identity: alice, expiresAt: now.addingTimeInterval(60)) }
        #expect(tokens.identity("a", now: now) == nil && tokens.identity("c", now: now)?.userId == "alice")
    }

    /// Through the authenticator, on the wall clock JWT expiry uses: a token verified once is refused once expired.
    @Test func anExpiredTokenIsRefusedAfterItWasKept() async throws {
        let authenticator = await Authenticator(secret: TestApp.secret, devMode: false)
        let expiresAt = Date().addingTimeInterval(2)
        let token = try await authenticator.token(userId: "alice", role: .customer, expiresAt: expiresAt)
        let headers: HTTPFields = [.authorization: "Bearer \(token)"]
        let first = try? await authenticator.identity(from: headers)
        // On a machine too busy to verify it within its two seconds, the token was never kept; the refusal below holds anyway.
        if Date() < expiresAt.addingTimeInterval(-0.5) {
            #expect(first?.userId == "alice" && authenticator.verified.identity(token, now: Date())?.userId == "alice")
        }
        try await Task.sleep(for: .seconds(max(0, expiresAt.timeIntervalSinceNow) + 0.3))
        await #expect(throws: HoldfastError.self) { try await authenticator.identity(from: headers) }
    }

    /// `Bearer <token>` in any case, with spaces or tabs around the token; anything else is no bearer token.
    @Test func theBearerTokenIsReadFromTheAuthorizationHeader() {
        for header in ["Bearer abc.def", "bearer abc.def", " BEARER\tabc.def  ", "Bearer    abc.def"] {
            #expect(Authenticator.bearerToken(in: header) == "abc.def", "\(header)")
        }
        for header in ["", "Bearer", "Bearer ", "Bearerabc", "Basic abc", "Bearer abc def", "Bear abc", "Bearers abc"] {
            #expect(Authenticator.bearerToken(in: header) == nil, "\(header)")
        }
    }
}
