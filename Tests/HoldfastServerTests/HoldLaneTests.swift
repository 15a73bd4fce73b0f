import Foundation
import HoldfastCore
@testable import HoldfastServer
import HoldfastStore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Holds that the seat snapshot refuses are answered on the event loop (`FastLane`, `HoldLane`); these check,
/// against a listening server, that those answers are the router's — the same status, error body and headers — and
/// that whatever the lane cannot judge the router answers as always.
@Suite struct HoldLaneTests {
    @Test func refusedHoldsAreAnsweredWithoutTheRouterAsTheRouterWould() async throws {
        let app = try await TestApp.make()
        let lane = app.dependencies.holdLane
        let dave = try await app.token("dave")
        let show = app.show.showId
        _ = try await lane.booking.createHold(showId: show, seatIds: ["C3", "C4"], quantity: 2, userId: "carol")
        try await app.test(.live) { client in
            let taken = #"{"showId":"\#(show)","seatIds":["C4","C5"]}"#
            // Dave's token is verified by the router the first time; from then on the lane knows it.
            let routed = try await client.call(.post, "/holds", bearer: dave, json: taken, headers: [RequestIds.header: "first"])
            #expect(routed.status == .conflict && lane.answered.load(ordering: .relaxed) == 0)
            let answered = try await client.call(.post, "/holds", bearer: dave, json: taken, headers: [RequestIds.header: "second"])
            #expect(answered.status == .conflict && lane.answered.load(ordering: .relaxed) == 1)
            #expect(try Self.withoutTimestamp(answered) == Self.withoutTimestamp(routed))
            let seats = try answered.json["error"]?["seatIds"]?.strings
            #expect(answered.errorCode == "SEATS_UNAVAILABLE" && seats == ["C4"])
            #expect(answered.headers[RequestIds.header] == "second" && routed.headers[RequestIds.header] == "first")
            #expect(Set(answered.headers.map(\.name)) == Set(routed.headers.map(\.name)))
            for name in [HTTPField.Name.contentType, .server, .contentLength] {
                #expect(answered.headers[name] == routed.headers[name], "\(name)")
            }
            #expect(answered.headers[.date]?.hasSuffix(" GMT") == true)

            // No block left within the price: the best available's refusal.
            let cheap = #"{"showId":"\#(show)","quantity":2,"maxPrice":1}"#
            let none = try await client.call(.post, "/holds", bearer: dave, json: cheap)
            #expect(none.status == .conflict && none.errorCode == "NOT_ENOUGH_SEATS_TOGETHER" && lane.answered.load(ordering: .relaxed) == 2)

            // A hold the snapshot does not refuse is written by the router as always; the next buyer for its seats is
            // refused by the lane, never stale.
            let free = try await client.call(.post, "/holds", bearer: dave, json: #"{"showId":"\#(show)","seatIds":["D1","D2"]}"#)
            #expect(free.status == .created && lane.answered.load(ordering: .relaxed) == 2)
            let erin = try await app.token("erin")
            _ = try await client.call(.post, "/holds", bearer: erin, json: taken)
            let late = try await client.call(.post, "/holds", bearer: erin, json: #"{"showId":"\#(show)","seatIds":["D2"]}"#)
            let lateSeats = try late.json["error"]?["seatIds"]?.strings
            #expect(late.status == .conflict && lateSeats == ["D2"])
            #expect(lane.answered.load(ordering: .relaxed) == 3)
            // Carol's hold lapses by the clock: the very next request for its seats is not refused.
            app.clock.advance(by: 3_600)
            let lapsed = try await client.call(.post, "/holds", bearer: erin, json: taken)
            #expect(lapsed.status == .created && lane.answered.load(ordering: .relaxed) == 3)
        }
    }

    @Test func whatTheLaneCannotJudgeTheRouterAnswersAsAlways() async throws {
        // One write a second per user, two at once.
        let app = try await TestApp.make(rateLimits: RateLimits(enabled: true, userWritesPerSecond: 1))
        let lane = app.dependencies.holdLane
        let show = app.show.showId
        _ = try await lane.booking.createHold(showId: show, seatIds: ["C3"], quantity: 1, userId: "carol")
        let taken = #"{"showId":"\#(show)","seatIds":["C3"]}"#
        try await app.test(.live) { client in
            let frank = try await app.token("frank")
            #expect(try await client.call(.post, "/holds", bearer: frank, json: taken).status == .conflict)  // the router verifies the token
            #expect(try await client.call(.post, "/holds", bearer: frank, json: taken).status == .conflict)
            #expect(lane.answered.load(ordering: .relaxed) == 1, "the lane takes from the same share")
            let limited = try await client.call(.post, "/holds", bearer: frank, json: taken)
            #expect(limited.status == .tooManyRequests && limited.headers[.retryAfter] != nil, "the user's share of writes is spent")
            #expect(lane.answered.load(ordering: .relaxed) == 1)
        }
        let open = try await TestApp.make()
        let openLane = open.dependencies.holdLane
        _ = try await openLane.booking.createHold(showId: open.show.showId, seatIds: ["C3"], quantity: 1, userId: "carol")
        let openTaken = #"{"showId":"\#(open.show.showId)","seatIds":["C3"]}"#
        try await open.test(.live) { client in
            let grace = try await open.token("grace")
            _ = try await client.call(.post, "/holds", bearer: grace, json: openTaken)
            let answered = openLane.answered.load(ordering: .relaxed)
            // A replayable request (the idempotency gate's), a dev-mode caller, a bad body, a token never seen, an
            // unknown show: each answered by the router, with its own answer.
            let keyed = try await client.call(.post, "/holds", bearer: grace, json: openTaken, headers: [IdempotencyGate.header: "k-1"])
            #expect(keyed.status == .conflict)
            #expect(try await client.call(.post, "/holds", user: "heidi", json: openTaken).status == .conflict)
            #expect(try await client.call(.post, "/holds", bearer: grace, json: #"{"showId":"\#(open.show.showId)","seatIds":"C3"}"#).errorCode == "INVALID_JSON")
            #expect(try await client.call(.post, "/holds", bearer: grace, json: #"{"showId":"\#(open.show.showId)","seatIds":["Z99"]}"#).status == .badRequest)
            #expect(try await client.call(.post, "/holds", bearer: "not-a-token", json: openTaken).status == .unauthorized)
            #expect(try await client.call(.post, "/holds", bearer: grace, json: #"{"showId":"\#(UUID())","seatIds":["C3"]}"#).status == .notFound)
            #expect(openLane.answered.load(ordering: .relaxed) == answered)
            #expect(try await client.call(.post, "/holds", bearer: grace, json: openTaken).status == .conflict)
            #expect(openLane.answered.load(ordering: .relaxed) == answered + 1)
        }
    }

    @Test func pipelinedHoldsAndReadsAreAnsweredInTheirOrder() async throws {
        let app = try await TestApp.make()
        let lane = app.dependencies.holdLane
        let show = app.show.showId
        _ = try await lane.booking.createHold(showId: show, seatIds: ["C3"], quantity: 1, userId: "carol")
        let ivan = try await app.token("ivan")
        try await app.test(.live) { client in
            let port = try #require(client.port)
            _ = try await client.call(.post, "/holds", bearer: ivan, json: #"{"showId":"\#(show)","seatIds":["C3"]}"#)
            func post(_ body: String) -> String {
                "POST /holds HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer \(ivan)\r\ncontent-type: application/json\r\n"
                    + "content-length: \(body.utf8.count)\r\n\r\n\(body)"
            }
            let refused = post(#"{"showId":"\#(show)","seatIds":["C3"]}"#)
            let granted = post(#"{"showId":"\#(show)","seatIds":["E1"]}"#)
            let text = refused + "GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n" + refused + "GET /shows/\(show)/seatmap HTTP/1.1\r\nhost: localhost\r\n\r\n"
                + granted + refused + "GET /health HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n"
            let responses = try SeatMapFastLaneTests.responses(in: try await SeatMapFastLaneTests.exchange(port: port, text))
            #expect(responses.map(\.status) == [409, 200, 409, 200, 201, 409, 200])
            #expect(responses[3].body.contains("\"availableSeats\"") && responses[4].body.contains("\"holdId\""))
            // The first refusal at least is the lane's; one behind a routed request waits its turn with the router.
            #expect(lane.answered.load(ordering: .relaxed) >= 1)
        }
    }

    @Test func onlyTheLanesOwnArrivalMarkIsTaken() async throws {
        let app = try await TestApp.make()
        let lane = app.dependencies.holdLane
        let arrived = ContinuousClock.now
        let mark = lane.arrivalMark(arrived)
        let read = try #require(lane.arrival(in: [HoldLane.arrivalHeader: mark]))
        #expect(abs((read - arrived) / .nanoseconds(1)) < 1_000)
        // A client's own value, or another process's, is nobody's arrival.
        let other = try await TestApp.make().dependencies.holdLane
        let forged = mark.split(separator: ".").last.map { "0123456789abcdef.\($0)" } ?? ""
        #expect(lane.arrival(in: [HoldLane.arrivalHeader: forged]) == nil && other.arrival(in: [HoldLane.arrivalHeader: mark]) == nil)
        #expect(lane.arrival(in: [:]) == nil && lane.arrival(in: [HoldLane.arrivalHeader: "garbage"]) == nil)
    }

    /// The response's JSON with the error's timestamp left out.
    private static func withoutTimestamp(_ response: TestResponse) throws -> String {
        var error = try #require((try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["error"] as? [String: Any])
        error["timestamp"] = nil
        return String(decoding: try JSONSerialization.data(withJSONObject: error, options: [.sortedKeys]), as: UTF8.self)
    }
}
