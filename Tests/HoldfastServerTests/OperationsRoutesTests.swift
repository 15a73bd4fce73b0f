import Foundation
import HoldfastCore
import HoldfastSQLite
import HoldfastServer
import HTTPTypes
import Hummingbird
import Logging
import HummingbirdTesting
import Testing

@Suite struct OperationsRoutesTests {
    @Test func readyWhenTheStoreAnswersAndEveryRequestCarriesAnId() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let ready = try await client.call(.get, "/ready")
            #expect(try ready.status == .ok && ready.json["status"]?.string == "ready")
            let header = HTTPField.Name("X-Request-Id")!
            #expect(try await client.call(.get, "/health", headers: [header: "trace-42_a"]).headers[header] == "trace-42_a")
            let fresh = try await client.call(.get, "/health").headers[header]
            let next = try await client.call(.get, "/health").headers[header]
            #expect(fresh != nil && next != nil && fresh != next, "every request gets an id of its own")
            let refused = try await client.call(.get, "/health", headers: [header: "not an id\u{7}"]).headers[header]
            #expect(refused != nil && refused != "not an id\u{7}")
            #expect(try await client.call(.get, "/movies/\(UUID())").headers[header] != nil, "errors carry the id too")
        }
    }

    @Test func aStoreWithPendingMigrationsIsNotReady() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("holdfast-unmigrated-\(UUID().uuidString).sqlite").path
        let stores = try SQLiteStore(path: path)
        let dependencies = try await HoldfastDependencies(
            configuration: ServerConfiguration(jwtSecret: TestApp.secret), stores: stores, clock: ManualBookingClock())
        try await Application(router: buildRouter(dependencies)).test(.router) { client in
            let response = try await client.execute(uri: "/ready", method: .get)
            #expect(response.status == .serviceUnavailable && String(buffer: response.body).contains("NOT_MIGRATED"))
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok, "alive all the same")
        }
    }
}

@Suite struct JSONLogTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func add(_ line: String) { lock.withLock { stored.append(line) } }
        var all: [String] { lock.withLock { stored } }
    }

    @Test func everyLineIsOneJSONObjectWithItsMetadata() throws {
        let lines = Lines()
        var logger = Logger(label: "holdfast") { JSONLogHandler(label: $0, write: lines.add) }
        logger[metadataKey: "request_id"] = "r-1"
        logger.notice("hold created", metadata: ["show": "S \"quoted\"\nnext line"])
        logger.debug("below the level: not written")
        #expect(lines.all.count == 1 && !lines.all[0].contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: String])
        #expect(object["level"] == "notice" && object["message"] == "hold created" && object["label"] == "holdfast")
        #expect(object["request_id"] == "r-1" && object["show"] == "S \"quoted\"\nnext line" && object["ts"] != nil)
    }
}
