import Foundation
import HoldfastCore
import HoldfastServer
import HoldfastStore
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import HummingbirdWSClient
import NIOCore
import Testing

@Suite struct LiveRoutesTests {
    static func user(_ id: String) -> WebSocketClientConfiguration {
        WebSocketClientConfiguration(additionalHeaders: [HTTPField.Name("x-user-id")!: id])
    }

    static func frame(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    @Test(.timeLimit(.minutes(1))) func aParticipantSeesTheOtherSidesMessagesAndCallsAsTheyCommit() async throws {
        let app = try await TestApp.make()
        _ = try await app.dependencies.conversations.register(code: "RIDE-88", participants: [
            Participant(userId: "dev", role: "driver"), Participant(userId: "pia", role: "passenger"),
        ])
        try await app.test(.live) { (client) async throws in
            // A stranger may connect but not listen in.
            try await client.ws("/ws", configuration: Self.user("eve")) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","booking_code":"RIDE-88"}"#))
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    guard case .text(let text) = message else { continue }
                    #expect(Self.frame(text)["type"] as? String == "error" && Self.frame(text)["code"] as? String == "CONVERSATION_NOT_FOUND")
                    break
                }
            }
            try await client.ws("/ws", configuration: Self.user("dev")) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"subscribe","booking_code":"RIDE-88"}"#))
                try await outbound.write(.text(#"{"action":"ping"}"#))
                try await outbound.write(.text("not json"))
                var seen: [[String: Any]] = []
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    guard case .text(let text) = message else { continue }
                    let frame = Self.frame(text)
                    seen.append(frame)
                    if frame["type"] as? String == "subscribed" {
                        #expect(frame["role"] as? String == "driver")
                        // The other side writes and calls over HTTP while we listen.
                        let sent = try await client.call(.post, "/api/v1/send_message", user: "pia", json: #"{"booking_code":"RIDE-88","message":"On my way"}"#)
                        #expect(sent.status == .created)
                        let ring = try await client.call(.post, "/api/v1/make_call", user: "pia", json: #"{"booking_code":"RIDE-88","action":"initiate"}"#)
                        #expect(ring.status == .created)
                    }
                    if (frame["message"] as? [String: Any])?["type"] as? String == "call" { break }
                }
                let types = seen.map { $0["type"] as? String ?? "?" }
                #expect(types.contains("pong") && types.contains("error"))
                let pushed = seen.compactMap { $0["message"] as? [String: Any] }
                #expect(pushed.map { $0["message"] as? String } == ["On my way", "Call started"])
                #expect(pushed.map { $0["seq"] as? Int } == [1, 2] && pushed.first?["sender_role"] as? String == "passenger")
            }
            // Without credentials there is no upgrade.
            await #expect(throws: (any Error).self) {
                try await client.ws("/ws") { _, _, _ in }
            }
        }
        #expect(await app.dependencies.hub.connectionCount == 0, "closed connections are forgotten")
    }

    @Test(.timeLimit(.minutes(1))) func twoConnectedParticipantsEachSeeBothSidesOfTheConversation() async throws {
        let app = try await TestApp.make()
        _ = try await app.dependencies.conversations.register(code: "RIDE-99", participants: [
            Participant(userId: "dev", role: "driver"), Participant(userId: "pia", role: "passenger"),
        ])
        let subscribed = Counter()
        try await app.test(.live) { (client) async throws in
            let heard = try await withThrowingTaskGroup(of: (String, [String]).self) { group in
                for (user, line) in [("dev", "Outside the lobby"), ("pia", "Coming down")] {
                    group.addTask {
                        let texts = Lines()
                        try await client.ws("/ws", configuration: Self.user(user)) { inbound, outbound, _ in
                            try await outbound.write(.text(#"{"action":"subscribe","booking_code":"RIDE-99"}"#))
                            for try await message in inbound.messages(maxSize: 1 << 16) {
                                guard case .text(let text) = message else { continue }
                                let frame = Self.frame(text)
                                if frame["type"] as? String == "subscribed" {
                                    // Speak only once both sides listen.
                                    await subscribed.increment()
                                    while await subscribed.value < 2 { try await Task.sleep(for: .milliseconds(10)) }
                                    let body = #"{"booking_code":"RIDE-99","message":"\#(line)"}"#
                                    #expect(try await client.call(.post, "/api/v1/send_message", user: user, json: body).status == .created)
                                } else if let pushed = frame["message"] as? [String: Any], let said = pushed["message"] as? String {
                                    if await texts.append("\(pushed["sender_role"] as? String ?? "?"): \(said)") == 2 { break }
                                }
                            }
                        }
                        return (user, await texts.all.sorted())
                    }
                }
                return try await group.reduce(into: [String: [String]]()) { $0[$1.0] = $1.1 }
            }
            let both = ["driver: Outside the lobby", "passenger: Coming down"]
            #expect(heard["dev"] == both && heard["pia"] == both)
        }
    }

    actor Counter {
        private(set) var value = 0
        func increment() { value += 1 }
    }

    actor Lines {
        private(set) var all: [String] = []
        /// Answers how many there are now.
        func append(_ line: String) -> Int {
            all.append(line)
            return all.count
        }
    }

    @Test func aSlowClientIsCutOffWithoutHoldingUpOthers() async {
        let hub = LiveHub(capacity: 4)
        let (slow, slowQueue) = await hub.connect()
        let (fast, fastQueue) = await hub.connect()
        await hub.subscribe(slow, to: "conversation:X")
        await hub.subscribe(fast, to: "conversation:X")
        let reader = Task {
            var got: [String] = []
            for await frame in fastQueue {
                got.append(String(buffer: frame))
                if got.count == 10 { break }
            }
            return got
        }
        for index in 0..<10 {
            await hub.publish(ByteBuffer(string: "m\(index)"), on: "conversation:X")
            // Give the fast reader its turn, as a network write would.
            try? await Task.sleep(for: .milliseconds(2))
        }
        #expect(await reader.value == (0..<10).map { "m\($0)" }, "the fast client got everything, in order")
        // The slow one never read: it kept the first 4 and was cut off, reported as such.
        var kept = 0
        for await _ in slowQueue { kept += 1 }
        #expect(kept == 4)
        #expect(await hub.disconnect(slow) == true)
        #expect(await hub.disconnect(fast) == false)
        #expect(await hub.listenerCount("conversation:X") == 0)
        #expect(await hub.connectionCount == 0)
    }

    @Test(.timeLimit(.minutes(1))) func aWatcherGetsASnapshotThenOtherUsersHoldsAndTheirExpiryAsTheyCommit() async throws {
        let app = try await TestApp.make()
        let feed = Task { try await SeatFeed(dependencies: app.dependencies, pollInterval: .milliseconds(20), logger: .init(label: "test")).run() }
        defer { feed.cancel() }
        try await app.test(.live) { (client) async throws in
            #expect(try await client.hold(app, ["A1"], user: "amy").status == .created)
            try await client.ws("/ws", configuration: Self.user("amy")) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"action":"watch_show","show_id":"\#(app.show.showId)"}"#))
                var known: [String: Int] = [:]
                var states: [String: String] = [:]
                var applied: [String] = []
                var phase = 0
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    let frame = Self.frame(text)
                    if frame["type"] as? String == "seatmap" {
                        let seats = frame["seats"] as? [[String: Any]] ?? []
                        #expect(seats.count == 100)
                        for seat in seats {
                            known[seat["seat_id"] as! String] = seat["version"] as? Int ?? 0
                            states[seat["seat_id"] as! String] = seat["state"] as? String
                        }
                        let mine = seats.first { $0["seat_id"] as? String == "A1" }
                        #expect(mine?["state"] as? String == "held" && mine?["mine"] as? Bool == true)
                        // Another user holds two seats while we watch.
                        #expect(try await client.hold(app, ["B1", "B2"], user: "ben").status == .created)
                        continue
                    }
                    guard frame["type"] as? String == "seat", let seat = frame["seat"] as? [String: Any],
                        let id = seat["seat_id"] as? String, let version = seat["version"] as? Int
                    else { continue }
                    #expect(seat["user_id"] == nil && seat["mine"] == nil, "nobody learns who holds a seat")
                    // The client's rule: apply only what is newer than what it has.
                    guard version > known[id, default: 0] else { continue }
                    known[id] = version
                    states[id] = seat["state"] as? String
                    applied.append("\(id):\(states[id]!)")
                    if phase == 0, states["B1"] == "held", states["B2"] == "held" {
                        phase = 1
                        // Ben's hold lapses; the sweeper records it.
                        app.clock.advance(by: 3_600)
                        _ = try await app.dependencies.stores.expireDue(now: app.clock.now(), limit: 100)
                    } else if phase == 1, states["B1"] == "available", states["B2"] == "available" {
                        break
                    }
                }
                #expect(applied.sorted() == ["A1:available", "B1:available", "B1:held", "B2:available", "B2:held"])
            }
        }
    }
}
