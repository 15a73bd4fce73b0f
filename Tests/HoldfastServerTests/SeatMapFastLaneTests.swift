import Foundation
import HoldfastCore
@testable import HoldfastServer
import HoldfastStore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Anonymous seat-map reads are answered on the event loop (`SeatMapFastLane`); these check, against a
/// listening server, that those answers are the router's — as fresh, with the same headers and errors — and
/// that a connection's responses keep the order of its requests.
@Suite struct SeatMapFastLaneTests {
    @Test func anonymousReadsAreAnsweredWithoutTheRouterAndNeverStale() async throws {
        let app = try await TestApp.make()
        let lane = app.dependencies.seatMapLane
        let elsewhere = BookingService(stores: app.dependencies.stores, clock: app.clock, policy: BookingPolicy())
        try await app.test(.live) { client in
            let path = "/shows/\(app.show.showId)/seatmap"
            let first = try await client.execute(uri: path, method: .get, headers: [RequestIds.header: "trace-42"])
            #expect(first.status == .ok && lane.answered.load(ordering: .relaxed) == 1)
            #expect(first.headers[RequestIds.header] == "trace-42" && first.headers[.server] == "holdfast")
            #expect(first.headers[.contentType] == "application/json; charset=utf-8" && first.headers[.date]?.hasSuffix(" GMT") == true)
            // The router's answer for a caller without seats in the show is the same bytes.
            let routed = try await client.call(.get, path, user: "frank")
            #expect(routed.body == first.body && lane.answered.load(ordering: .relaxed) == 1)

            // A hold made behind the server's back shows in the very next read, as a lapse by the clock does.
            _ = try await elsewhere.createHold(showId: app.show.showId, seatIds: ["C3"], quantity: 1, userId: "carol")
            let held = try await client.execute(uri: path, method: .get)
            #expect(try Self.state(of: "C3", in: held) == "held" && held.headers[RequestIds.header] != nil)
            app.clock.advance(by: 3_600)
            #expect(try Self.state(of: "C3", in: try await client.execute(uri: path.lowercased(), method: .get)) == "available")
            #expect(lane.answered.load(ordering: .relaxed) == 3)
        }
    }

    @Test func whatTheLaneCannotAnswerTheRouterAnswersAsAlways() async throws {
        // One read a second, two at once.
        let app = try await TestApp.make(rateLimits: RateLimits(enabled: true, addressReadsPerSecond: 1))
        let lane = app.dependencies.seatMapLane
        try await app.test(.live) { client in
            let missing = try await client.execute(uri: "/shows/\(UUID())/seatmap", method: .get)
            #expect(missing.status == .notFound && missing.errorCode == "NOT_FOUND")
            #expect(lane.answered.load(ordering: .relaxed) == 0)
            let path = "/shows/\(app.show.showId)/seatmap"
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
            #expect(lane.answered.load(ordering: .relaxed) == 1, "the missing show's read was counted once, by the router")
            let refused = try await client.execute(uri: path, method: .get)
            #expect(refused.status == .tooManyRequests && refused.headers[.retryAfter] != nil, "the address's share of reads is spent")
            #expect(lane.answered.load(ordering: .relaxed) == 1)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInTheirOrder() async throws {
        let app = try await TestApp.make()
        let lane = app.dependencies.seatMapLane
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let seatMap = "/shows/\(app.show.showId)/seatmap"
            let requests = [
                (seatMap, ""), ("/health", ""), (seatMap, ""), ("/shows/\(UUID())/seatmap", ""), (seatMap, "x-user-id: erin\r\n"),
                (seatMap, ""), ("/health", "connection: close\r\n"),
            ]
            let text = requests.map { "GET \($0.0) HTTP/1.1\r\nhost: localhost\r\n\($0.1)\r\n" }.joined()
            let responses = try Self.responses(in: try await Self.exchange(port: port, text))
            #expect(responses.map(\.status) == [200, 200, 200, 404, 200, 200, 200])
            let kinds = responses.map { $0.body.contains("\"availableSeats\"") ? "map" : $0.body.contains("\"status\"") ? "health" : "other" }
            #expect(kinds == ["map", "health", "map", "other", "map", "map", "health"])
            #expect(lane.answered.load(ordering: .relaxed) >= 1)

            // Many at once: the lane stops reading while it holds a pile of them, and answers them all in turn.
            let pile = String(repeating: "GET \(seatMap) HTTP/1.1\r\nhost: localhost\r\n\r\n", count: 40)
                + "GET /health HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n"
            let piled = try Self.responses(in: try await Self.exchange(port: port, pile))
            #expect(piled.count == 41 && piled.allSatisfy { $0.status == 200 })
            #expect(piled.dropLast().allSatisfy { $0.body.contains("\"availableSeats\"") } && piled.last?.body.contains("\"status\"") == true)

            // A client that sends its request and closes its side at once still gets the answer (often the close
            // arrives while the answer is being made: tried a few times).
            for _ in 0..<8 {
                let request = "GET \(seatMap) HTTP/1.1\r\nhost: localhost\r\n\r\n"
                #expect(try Self.responses(in: try await Self.exchange(port: port, request, halfClose: true)).map(\.status) == [200])
            }
        }
    }

    private static func state(of seat: String, in response: TestResponse) throws -> String? {
        try response.json["seats"]?.array.first { $0["id"]?.string == seat }?["state"]?.string
    }

    /// Writes `text` on a new connection and returns all the server sends until it closes the connection.
    static func exchange(port: Int, _ text: String, halfClose: Bool = false) async throws -> String {
        final class Collector: ChannelInboundHandler, Sendable {
            typealias InboundIn = ByteBuffer
            let received = Mutex(ByteBuffer())
            func channelRead(context: ChannelHandlerContext, data: NIOAny) {
                var buffer = unwrapInboundIn(data)
                received.withLock { $0.writeBuffer(&buffer) }
            }
        }
        let collector = Collector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(collector) } }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: text))
        if halfClose { try await channel.close(mode: .output) }
        // The server closes after a `connection: close` request; a half-closed client is answered, then closed. A
        // server that stops answering is cut off after a minute (the test then finds responses missing); a machine busy
        // with every other test has taken more than ten seconds over the pile of forty.
        let cutOff = channel.eventLoop.scheduleTask(in: .seconds(60)) { channel.close(promise: nil) }
        try await channel.closeFuture.get()
        cutOff.cancel()
        return collector.received.withLock { String(buffer: $0) }
    }

    /// The status and body of each HTTP/1.1 response in `text`, in order (bodies by Content-Length).
    static func responses(in text: String) throws -> [(status: Int, body: String)] {
        var rest = Substring(text)
        var found: [(status: Int, body: String)] = []
        while !rest.isEmpty {
            let end = try #require(rest.range(of: "\r\n\r\n"))
            let head = rest[..<end.lowerBound].lowercased()
            let status = try #require(Int(head.dropFirst("http/1.1 ".count).prefix(3)))
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = rest[end.upperBound...].utf8.prefix(length)
            found.append((status, String(decoding: body, as: UTF8.self)))
            rest = Substring(rest[end.upperBound...].utf8.dropFirst(length))
        }
        return found
    }
}
