import Foundation
import GRDB
import HoldfastCore
@testable import HoldfastSQLite
import HoldfastServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// The embedded store when its file cannot grow (a full disk) or cannot be written (a read-only file):
/// writes answer 503 STORE_UNAVAILABLE with the reason, reads go on, nothing half-written is left, the
/// file stays sound, and writing resumes by itself once the disk has room again. SQLite reports both
/// faults at the same place whatever the cause; the tests cause them with `max_page_count` and
/// `query_only` on the store's writer connection.
@Suite struct SQLiteFaultTests {
    static func pragma(_ store: SQLiteStore, _ sql: String) async throws {
        try await store.pool.barrierWriteWithoutTransaction { db in try db.execute(sql: sql) }
    }

    static func integrity(_ store: SQLiteStore) async throws -> String? {
        try await store.pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
    }

    @Test func aFullDiskRefusesWritesCleanlyAndRecovers() async throws {
        let app = try await TestApp.make()
        let store = try #require(app.dependencies.stores as? SQLiteStore)
        try await app.test { client in
            let kept = try #require(try await client.hold(app, ["A1"], user: "alice").json["holdId"]?.string)
            let pages = try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") } ?? 0
            try await Self.pragma(store, "PRAGMA max_page_count = \(pages)")
            var refused: TestResponse?
            var refusedSeat = ""
            for row in ["B", "C", "D", "E", "F", "G", "H", "I", "J"] {
                for number in 1...10 {
                    let response = try await client.hold(app, ["\(row)\(number)"], user: "u-\(row)\(number)")
                    if response.status != .created { refused = response; refusedSeat = "\(row)\(number)"; break }
                }
                if refused != nil { break }
            }
            let full = try #require(refused, "the file stopped growing")
            #expect(full.status == .serviceUnavailable && full.errorCode == "STORE_UNAVAILABLE" && full.text.contains("disk is full"))
            #expect(full.headers[.retryAfter] == "1")
            let map = try await client.call(.get, "/shows/\(app.show.showId)/seatmap").json
            #expect(map["seats"]?.array.first { $0["id"]?.string == refusedSeat }?["state"]?.string == "available", "nothing half-written")
            #expect(try await client.call(.get, "/holds/\(kept)", user: "alice").json["status"]?.string == "HELD", "reads go on")
            #expect(try await Self.integrity(store) == "ok")

            try await Self.pragma(store, "PRAGMA max_page_count = 1073741823")
            #expect(try await client.hold(app, [refusedSeat], user: "again").status == .created, "room again: writes resume")
            #expect(try await Self.integrity(store) == "ok")
        }
    }

    @Test func aReadOnlyFileRefusesWritesCleanlyAndRecovers() async throws {
        let app = try await TestApp.make()
        let store = try #require(app.dependencies.stores as? SQLiteStore)
        try await app.test { client in
            let kept = try #require(try await client.hold(app, ["A1"], user: "alice").json["holdId"]?.string)
            try await Self.pragma(store, "PRAGMA query_only = 1")
            let refused = try await client.hold(app, ["A2"], user: "bob")
            #expect(refused.status == .serviceUnavailable && refused.errorCode == "STORE_UNAVAILABLE" && refused.text.contains("read-only"))
            let order = try await client.order(holdId: kept, user: "alice")
            #expect(order.status == .serviceUnavailable)
            #expect(try await client.call(.get, "/holds/\(kept)", user: "alice").json["status"]?.string == "HELD")
            #expect(try await client.call(.get, "/orders", user: "alice").json["total"]?.int == 0, "the refused order left nothing")

            try await Self.pragma(store, "PRAGMA query_only = 0")
            #expect(try await client.order(holdId: kept, user: "alice").status == .created)
            #expect(try await client.hold(app, ["A2"], user: "bob").status == .created)
            #expect(try await Self.integrity(store) == "ok")
        }
    }
}
