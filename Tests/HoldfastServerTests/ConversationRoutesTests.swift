import Foundation
import HoldfastCore
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct ConversationRoutesTests {
    @Test func aDriverAndAPassengerTalkAndCallAndOthersAreRefused() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("ops", role: .admin)
        try await app.test { (client) async throws in
            let ride = #"{"booking_code":"RIDE-77","participants":[{"user_id":"dev","role":"driver"},{"user_id":"pia","role":"passenger"}]}"#
            #expect(try await client.call(.post, "/api/v1/conversations", user: "dev", json: ride).status == .forbidden)
            let registered = try await client.call(.post, "/api/v1/conversations", bearer: admin, json: ride)
            #expect(try registered.status == .created && registered.json["participants"]?.array.count == 2)
            #expect(try await client.call(.post, "/api/v1/conversations", bearer: admin, json: #"{"booking_code":"R","participants":[]}"#).status == .badRequest)

            let hello = try await client.call(.post, "/api/v1/send_message", user: "dev", json: #"{"booking_code":"RIDE-77","message":"At the gate","sender":"driver"}"#)
            #expect(try hello.status == .created && hello.json["seq"]?.int == 1 && hello.json["sender_role"]?.string == "driver")
            #expect(try await client.call(.post, "/api/v1/send_message", user: "pia", json: #"{"booking_code":"RIDE-77","message":"Coming","sender":"driver"}"#).status == .badRequest)
            #expect(try await client.call(.post, "/api/v1/send_message", user: "pia", json: #"{"booking_code":"RIDE-77","message":"Coming"}"#).status == .created)
            let stranger = try await client.call(.post, "/api/v1/send_message", user: "eve", json: #"{"booking_code":"RIDE-77","message":"hi"}"#)
            #expect(stranger.status == .notFound && stranger.errorCode == "CONVERSATION_NOT_FOUND")
            #expect(try await client.call(.get, "/api/v1/get_message?booking_code=RIDE-77", user: "eve").status == .notFound)
            #expect(try await client.call(.post, "/api/v1/send_message", user: "pia", json: #"{"booking_code":"RIDE-77","message":"x","type":"shout"}"#).status == .badRequest)

            let ring = try await client.call(.post, "/api/v1/make_call", user: "pia", json: #"{"booking_code":"RIDE-77","action":"initiate"}"#)
            #expect(try ring.status == .created && ring.json["call"]?["state"]?.string == "RINGING" && ring.json["call"]?["callee"]?.string == "dev")
            let callId = try #require(try ring.json["call"]?["call_id"]?.string)
            app.clock.advance(by: 3)
            let accepted = try await client.call(.post, "/api/v1/make_call", user: "dev", json: #"{"booking_code":"RIDE-77","action":"accept","call_id":"\#(callId)"}"#)
            #expect(try accepted.json["call"]?["state"]?.string == "CONNECTED")
            app.clock.advance(by: 42)
            let ended = try await client.call(.post, "/api/v1/make_call", user: "pia", json: #"{"booking_code":"RIDE-77","action":"end","call_id":"\#(callId)"}"#)
            #expect(try ended.json["call"]?["state"]?.string == "ENDED" && ended.json["call"]?["duration_seconds"]?.int == 42)
            let again = try await client.call(.post, "/api/v1/make_call", user: "dev", json: #"{"booking_code":"RIDE-77","action":"accept","call_id":"\#(callId)"}"#)
            #expect(again.status == .conflict && again.errorCode == "INVALID_CALL_TRANSITION")
            #expect(try await client.call(.post, "/api/v1/make_call", user: "dev", json: #"{"booking_code":"RIDE-77","action":"dial"}"#).status == .badRequest)

            let page = try await client.call(.get, "/api/v1/get_message?booking_code=RIDE-77&limit=2", user: "dev").json
            #expect(page["messages"]?.array.map { $0["seq"]?.int } == [5, 4] && page["next_before"]?.int == 4)
            let older = try await client.call(.get, "/api/v1/get_message?booking_code=RIDE-77&limit=2&before=4", user: "dev").json
            #expect(older["messages"]?.array.map { $0["seq"]?.int } == [3, 2])
            let calls = try await client.call(.get, "/api/v1/get_message?booking_code=RIDE-77&type=call", user: "pia").json
            #expect(calls["messages"]?.array.count == 3 && calls["next_before"] == nil)
            #expect(try await client.call(.get, "/api/v1/get_message?booking_code=RIDE-77&limit=500", user: "pia").status == .badRequest)
            #expect(try await client.call(.get, "/api/v1/get_message?booking_code=RIDE-77&type=fax", user: "pia").status == .badRequest)
        }
    }
}
