import Foundation
import HoldfastCore
import HoldfastServer
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct RateLimitTests {
    static let limits = RateLimits(
        userReadsPerSecond: 2, userWritesPerSecond: 1, addressReadsPerSecond: 1_000, addressWritesPerSecond: 1_000)

    @Test func aUserPastTheirWritesGets429WithRetryAfterAndNothingChanges() async throws {
        let app = try await TestApp.make(rateLimits: Self.limits)
        try await app.test { client in
            // A burst of twice the rate goes through; the next write is refused before it touches the store.
            #expect(try await client.hold(app, ["A1"], user: "fast").status == .created)
            #expect(try await client.hold(app, ["A2"], user: "fast").status == .created)
            let refused = try await client.hold(app, ["A3"], user: "fast")
            #expect(refused.status == .tooManyRequests && refused.errorCode == "RATE_LIMITED")
            #expect(refused.headers[.retryAfter] == "1")
            let map = try await client.call(.get, "/shows/\(app.show.showId)/seatmap", user: "other")
            #expect(try map.json["seats"]?.array.first { $0["id"]?.string == "A3" }?["state"]?.string == "available")
            // Others are not held back by one busy user, and the user may go on once the bucket refills.
            #expect(try await client.hold(app, ["A4"], user: "patient").status == .created)
            app.clock.advance(by: 1)
            #expect(try await client.hold(app, ["A3"], user: "fast").status == .created)
        }
    }

    @Test func readsAndWritesAreCountedApartAndAdminsOnlyByAddress() async throws {
        let app = try await TestApp.make(rateLimits: Self.limits)
        try await app.test { client in
            for _ in 0..<4 { #expect(try await client.call(.get, "/movies", user: "reader").status == .ok) }
            #expect(try await client.call(.get, "/movies", user: "reader").status == .tooManyRequests)
            #expect(try await client.hold(app, ["B1"], user: "reader").status == .created, "writes have their own bucket")
            let admin = try await app.token("boss", role: .admin)
            for _ in 0..<6 { #expect(try await client.call(.get, "/admin/outbox", bearer: admin).status == .ok) }
            for _ in 0..<6 { #expect(try await client.call(.get, "/health").status == .ok, "probes are never limited") }
        }
    }

    @Test func aClientAddressHasItsOwnLimit() async throws {
        let limits = RateLimits(userReadsPerSecond: 1_000, userWritesPerSecond: 1_000, addressReadsPerSecond: 3, addressWritesPerSecond: 1_000)
        let app = try await TestApp.make(rateLimits: limits)
        try await app.test(.live) { client in
            for user in 0..<6 { #expect(try await client.call(.get, "/movies", user: "u\(user)").status == .ok) }
            let refused = try await client.call(.get, "/movies", user: "u-next")
            #expect(refused.status == .tooManyRequests && refused.headers[.retryAfter] != nil)
        }
    }
}
