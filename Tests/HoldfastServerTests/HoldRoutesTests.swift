import Foundation
import HoldfastCore
import HummingbirdTesting
import Testing

@Suite struct HoldRoutesTests {
    @Test func createGetUpdateRelease() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let created = try await client.hold(app, ["F5", "F6"], user: "alice")
            #expect(created.status == .created)
            let hold = try created.json
            let holdId = try #require(hold["holdId"]?.string)
            #expect(hold["status"]?.string == "HELD" && hold["quantity"]?.int == 2 && hold["seatIds"]?.strings == ["F5", "F6"])
            #expect(hold["showId"]?.string == app.show.showId.uuidString)
            #expect(hold["expiresAt"]?.string == "2027-01-15T08:05:00.000Z")

            #expect(try await client.call(.get, "/holds/\(holdId)", user: "alice").json["seatIds"]?.strings == ["F5", "F6"])
            let moved = try await client.call(.put, "/holds/\(holdId)", user: "alice", json: #"{"seatIds":["F6","F7"],"quantity":2,"extend":true}"#)
            #expect(moved.status == .ok)
            #expect(try moved.json["seatIds"]?.strings == ["F6", "F7"] && moved.json["extensions"]?.int == 1)

            let released = try await client.call(.delete, "/holds/\(holdId)", user: "alice")
            #expect(try released.json["status"]?.string == "RELEASED")
            #expect(try await client.hold(app, ["F6"], user: "bob").status == .created)
        }
    }

    @Test func conflictIs409NamingTheSeats() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            _ = try await client.hold(app, ["C3"], user: "alice")
            let refused = try await client.hold(app, ["C2", "C3", "C4"], user: "bob")
            #expect(refused.status == .conflict)
            let error = try #require(try refused.json["error"])
            #expect(error["code"]?.string == "SEATS_UNAVAILABLE" && error["seatIds"]?.strings == ["C3"])
            #expect(error["message"]?.string?.contains("C3") == true && error["timestamp"]?.string != nil)
            let map = try await client.call(.get, "/shows/\(app.show.showId)/seatmap").json
            let held = map["seats"]?.array.filter { $0["state"]?.string != "available" }.compactMap { $0["id"]?.string }
            #expect(held == ["C3"])
        }
    }

    @Test func everyBadHoldRequestIs4xxAndChangesNothing() async throws {
        let app = try await TestApp.make()
        let show = app.show.showId
        let cases: [(String, String)] = [
            (#"{"showId":"\#(show)","seatIds":[],"quantity":0}"#, "VALIDATION_FAILED"),
            (#"{"showId":"\#(show)","seatIds":["A1","A1"],"quantity":2}"#, "DUPLICATE_SEATS"),
            (#"{"showId":"\#(show)","seatIds":["A1","A2"],"quantity":3}"#, "QUANTITY_MISMATCH"),
            (#"{"showId":"\#(show)","seatIds":["A1","A2","A3","A4","A5","A6","A7","A8","A9","A10","B1"],"quantity":11}"#, "TOO_MANY_SEATS"),
            (#"{"showId":"\#(show)","seatIds":["A1","K1"],"quantity":2}"#, "UNKNOWN_SEATS"),
            (#"{"showId":"nope","seatIds":["A1"],"quantity":1}"#, "INVALID_ID"),
            (#"{"seatIds":["A1"],"quantity":1}"#, "INVALID_JSON"),
            (#"{"showId":"\#(show)","seatIds":"A1"}"#, "INVALID_JSON"),
            (#"{"showId":"\#(show)","seatIds":["A1"],"quantity":"one"}"#, "INVALID_JSON"),
            (#"{"showId":"\#(show)","seatIds":["A1""#, "INVALID_JSON"),
            ("", "INVALID_JSON"),
        ]
        try await app.test { (client) async throws in
            for (body, code) in cases {
                let response = try await client.call(.post, "/holds", user: "alice", json: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(response.errorCode == code, "\(body)")
            }
            let huge = #"{"showId":"\#(show)","seatIds":["\#(String(repeating: "A", count: 5_000))"]}"#
            let tooLarge = try await client.call(.post, "/holds", user: "alice", json: huge)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.errorCode == "PAYLOAD_TOO_LARGE")
            #expect(try await client.call(.post, "/holds", user: "alice", json: #"{"showId":"\#(UUID())","seatIds":["A1"]}"#).status == .notFound)
            let map = try await client.call(.get, "/shows/\(show)/seatmap").json
            #expect(map["availableSeats"]?.int == 100)
        }
    }

    @Test func holdsBelongToTheirOwner() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let holdId = try #require(try await client.hold(app, ["D1"], user: "alice").json["holdId"]?.string)
            #expect(try await client.call(.get, "/holds/\(holdId)", user: "mallory").status == .notFound)
            #expect(try await client.call(.put, "/holds/\(holdId)", user: "mallory", json: #"{"extend":true}"#).status == .notFound)
            #expect(try await client.call(.delete, "/holds/\(holdId)", user: "mallory").status == .notFound)
            #expect(try await client.call(.get, "/holds/\(holdId)").status == .unauthorized)
            #expect(try await client.call(.post, "/holds", json: "{}").status == .unauthorized)
            #expect(try await client.call(.get, "/holds/\(holdId)", user: "alice").json["status"]?.string == "HELD")
            #expect(try await client.call(.get, "/holds/xyz", user: "alice").status == .badRequest)
        }
    }

    @Test func badUpdatesAreRefusedAndKeepTheHold() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let holdId = try #require(try await client.hold(app, ["E1", "E2"], user: "alice").json["holdId"]?.string)
            _ = try await client.hold(app, ["E3"], user: "bob")
            #expect(try await client.call(.put, "/holds/\(holdId)", user: "alice", json: "{}").status == .badRequest)
            let taken = try await client.call(.put, "/holds/\(holdId)", user: "alice", json: #"{"seatIds":["E2","E3"]}"#)
            #expect(try taken.status == .conflict && (taken.json["error"]?["seatIds"]?.strings) == ["E3"])
            #expect(try await client.call(.put, "/holds/\(holdId)", user: "alice", json: #"{"seatIds":["E1"],"quantity":2}"#).status == .badRequest)
            #expect(try await client.call(.get, "/holds/\(holdId)", user: "alice").json["seatIds"]?.strings == ["E1", "E2"])
        }
    }

    @Test func anExpiredHoldIsReportedAndItsSeatsAreFree() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let holdId = try #require(try await client.hold(app, ["G1"], user: "alice").json["holdId"]?.string)
            app.clock.advance(by: 300)
            #expect(try await client.call(.get, "/holds/\(holdId)", user: "alice").json["status"]?.string == "EXPIRED")
            #expect(try await client.hold(app, ["G1"], user: "bob").status == .created)
            let order = try await client.order(holdId: holdId, user: "alice")
            #expect(order.status == .gone && order.errorCode == "HOLD_EXPIRED")
            let extend = try await client.call(.put, "/holds/\(holdId)", user: "alice", json: #"{"extend":true}"#)
            #expect(extend.status == .gone)
        }
    }
}

@Suite struct BestAvailableRoutesTests {
    @Test func askingForANumberOfSeatsHoldsTheBestBlock() async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            let best = try await client.call(.post, "/holds", user: "alice", json: #"{"showId":"\#(app.show.showId)","quantity":2}"#)
            let bestSeats = try best.json["seatIds"]?.strings
            #expect(best.status == .created && bestSeats == ["F5", "F6"])
            let next = try await client.call(.post, "/holds", user: "bob", json: #"{"showId":"\#(app.show.showId)","quantity":3}"#)
            let seats = try #require(try next.json["seatIds"]?.strings)
            #expect(next.status == .created && seats.count == 3 && Set(seats).isDisjoint(with: ["F5", "F6"]))
            let none = try await client.call(.post, "/holds", user: "carol", json: #"{"showId":"\#(app.show.showId)","quantity":2,"category":"BALCONY"}"#)
            #expect(none.status == .conflict && none.errorCode == "NOT_ENOUGH_SEATS_TOGETHER")
            #expect(try await client.call(.post, "/holds", user: "carol", json: #"{"showId":"\#(app.show.showId)"}"#).status == .badRequest)
            let mixed = #"{"showId":"\#(app.show.showId)","seatIds":["A1"],"category":"STANDARD"}"#
            #expect(try await client.call(.post, "/holds", user: "carol", json: mixed).status == .badRequest)
            #expect(try await client.call(.post, "/holds", user: "carol", json: #"{"showId":"\#(app.show.showId)","quantity":11}"#).status == .badRequest)
        }
    }
}
