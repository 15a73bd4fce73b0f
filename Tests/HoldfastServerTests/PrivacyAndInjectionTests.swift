import Foundation
import HoldfastCore
import HoldfastServer
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

@Suite struct LogPrivacyTests {
    typealias Lines = JSONLogTests.Lines

    @Test func noSecretOrCustomerDetailReachesTheLogsEvenAtTraceLevel() async throws {
        let app = try await TestApp.make(devMode: false)
        let admin = try await app.token("ops", role: .admin)
        let alice = try await app.token("alice")
        let lines = Lines()
        var logger = Logger(label: "holdfast") { JSONLogHandler(label: $0, write: lines.add) }
        logger.logLevel = .trace
        let secrets = [
            admin, alice, "Zelda Quartermain", "zelda.q@example.org", "9123456789", "Yusuf Pemberton", "yusuf.p@example.net",
            "my door code is 4417", "whsec-0123456789abcdef0123456789abcdef", "idem-key-a1b2c3", TestApp.paymentSecret,
        ]
        try await app.test(logger: logger) { client in
            let hold = try await client.call(
                .post, "/holds", bearer: alice, json: #"{"showId":"\#(app.show.showId)","seatIds":["D1"],"quantity":1}"#,
                headers: [HTTPField.Name("Idempotency-Key")!: "idem-key-a1b2c3"])
            let holdId = try #require(try hold.json["holdId"]?.string)
            let order = try await client.call(
                .post, "/orders", bearer: alice,
                json: #"{"holdId":"\#(holdId)","customer":{"name":"Zelda Quartermain","email":"zelda.q@example.org","phone":"9123456789"}}"#)
            let orderId = try #require(try order.json["orderId"]?.string)
            let paid = try await client.call(.post, "/orders/\(orderId)/confirm-payment", bearer: alice, json: #"{"paymentToken":"tok_success"}"#)
            let code = try #require(try paid.json["ticketCode"]?.string)
            #expect(try await client.call(.post, "/api/v1/send_message", bearer: alice, json: #"{"booking_code":"\#(code)","message":"my door code is 4417"}"#).status == .created)
            let hotel = try #require(try await client.call(.post, "/admin/hotels", bearer: admin, json: #"{"name":"Inn","city":"Pune","geoLat":18.5,"geoLng":73.8}"#).json["hotelId"]?.string)
            let type = try #require(try await client.call(.post, "/admin/hotels/\(hotel)/room-types", bearer: admin, json: #"{"name":"Twin","occupancy":2,"rate":2000}"#).json["roomTypeId"]?.string)
            _ = try await client.call(.put, "/admin/room-types/\(type)/inventory", bearer: admin, json: #"{"from":"2027-04-01","to":"2027-04-05","total":2}"#)
            let booked = try await client.call(.post, "/book", bearer: alice, json: #"{"roomTypeId":"\#(type)","checkIn":"2027-04-01","checkOut":"2027-04-03","guest":{"name":"Yusuf Pemberton","email":"yusuf.p@example.net"}}"#)
            #expect(booked.status == .created)
            let hook = try await client.call(.post, "/admin/webhooks", bearer: admin, json: #"{"url":"http://127.0.0.1:9/hook","eventTypes":["*"],"secret":"whsec-0123456789abcdef0123456789abcdef"}"#)
            #expect(hook.status == .created)
            // Failures log too: a bad token, a refused customer, an unknown route.
            _ = try await client.call(.get, "/orders", bearer: alice + "x")
            _ = try await client.call(.post, "/orders", bearer: alice, json: #"{"holdId":"\#(holdId)","customer":{"name":"Zelda Quartermain","email":"zelda.q@","phone":"9123456789"}}"#)
            _ = try await client.call(.get, "/nowhere?email=zelda.q@example.org")
        }
        let all = lines.all
        #expect(all.count >= 12, "requests are logged at trace level (\(all.count) lines)")
        #expect(all.contains { $0.contains("\"path\":\"/orders\"") && $0.contains("\"status\":\"201\"") }, "paths and statuses are logged")
        for secret in secrets {
            let leaks = all.filter { $0.contains(secret) }
            #expect(leaks.isEmpty, "\(secret.prefix(12))… appears in \(leaks.count) log lines: \(leaks.first ?? "")")
        }
    }
}

@Suite struct InjectionTests {
    static let payloads = [
        "'; DROP TABLE seat_claims; --", "\" OR \"1\"=\"1", "1' OR '1'='1' --", "Robert'); DELETE FROM orders; --",
        "%' UNION SELECT sqlite_version(), 1, 2 --", "$1 ? :name @p \\", "x\u{0}y", "🎬 ' \" ; -- /* */",
    ]

    static func jsonString(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    @Test func injectionPayloadsInEveryTextFieldAreDataNeverSQL() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("ops", role: .admin)
        try await app.test { client in
            let hold = try #require(try await client.hold(app, ["E1"], user: "alice").json["holdId"]?.string)
            let order = try #require(try await client.order(holdId: hold, user: "alice").json["orderId"]?.string)
            let code = try #require(try await client.call(.post, "/orders/\(order)/confirm-payment", user: "alice", json: #"{"paymentToken":"tok_success"}"#).json["ticketCode"]?.string)
            for payload in Self.payloads {
                let text = Self.jsonString(payload)
                let query = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                var answers: [(String, TestResponse)] = []
                func record(_ label: String, _ response: TestResponse) { answers.append((label, response)) }

                // Stored text comes back exactly as sent.
                let movie = try await client.call(.post, "/admin/movies", bearer: admin, json: #"{"title":\#(text),"about":\#(text),"language":\#(text),"genres":[\#(text)]}"#)
                record("movie", movie)
                if movie.status == .created, let id = try movie.json["movieId"]?.string {
                    let read = try await client.call(.get, "/movies/\(id)").json
                    #expect(read["title"]?.string == payload && read["about"]?.string == payload && read["genres"]?.strings == [payload])
                }
                let theatre = try await client.call(.post, "/admin/theatres", bearer: admin, json: #"{"name":\#(text),"address":\#(text)}"#)
                record("theatre", theatre)
                let hotel = try await client.call(.post, "/admin/hotels", bearer: admin, json: #"{"name":\#(text),"city":\#(text),"address":\#(text),"geoLat":1,"geoLng":1}"#)
                record("hotel", hotel)
                let message = try await client.call(.post, "/api/v1/send_message", user: "alice", json: #"{"booking_code":"\#(code)","message":\#(text)}"#)
                record("message", message)
                if message.status == .created {
                    let newest = try await client.call(.get, "/api/v1/get_message?booking_code=\(code)&limit=1", user: "alice").json
                    #expect(newest["messages"]?[0]?["message"]?.string == payload)
                }
                let ticket = try await client.call(.post, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"9-Z\#(Self.payloads.firstIndex(of: payload)! + 1)","Movie":\#(text),"Price":10,"Note":\#(text)}"#)
                record("ticket", ticket)
                if ticket.status == .created {
                    #expect(try ticket.json["Movie"]?.string == payload && ticket.json["Note"]?.string == payload)
                }
                // Text that is an identifier or a filter is refused or finds nothing; it never runs.
                record("customer", try await client.call(.post, "/orders", user: "alice", json: #"{"holdId":"\#(hold)","customer":{"name":\#(text),"email":\#(text),"phone":\#(text)}}"#))
                record("seats", try await client.call(.post, "/holds", user: "alice", json: #"{"showId":"\#(app.show.showId)","seatIds":[\#(text)]}"#))
                record("show id", try await client.call(.post, "/holds", user: "alice", json: #"{"showId":\#(text),"seatIds":["E9"]}"#))
                record("booking code", try await client.call(.post, "/api/v1/conversations", bearer: admin, json: #"{"booking_code":\#(text),"participants":[{"user_id":\#(text),"role":\#(text)}]}"#))
                record("user header", try await client.call(.get, "/orders", headers: [HTTPField.Name("x-user-id")!: payload.filter { !$0.isNewline && $0 != "\u{0}" }]))
                record("ticket key", try await client.call(.get, "/ticket?Theatre-Seat=\(query)"))
                record("events", try await client.call(.get, "/admin/events?aggregateType=\(query)&aggregateId=\(query)", bearer: admin))
                record("messages", try await client.call(.get, "/api/v1/get_message?booking_code=\(query)", user: "alice"))
                let filtered = try await client.call(.get, "/movies?genre=\(query)&language=\(query)&format=\(query)")
                record("movie filter", filtered)
                if filtered.status == .ok {
                    #expect(try filtered.json["movies"]?.array.allSatisfy { $0["language"]?.string == payload } == true, "a filter only matches itself")
                } else {
                    #expect(payload.contains("\u{0}") && filtered.errorCode == "INVALID_TEXT")
                }
                record("hotel search", try await client.call(.get, "/hotels/search?city=\(query)&checkIn=2027-01-01&checkOut=2027-01-02"))
                for (label, response) in answers {
                    #expect(response.status.code < 500, "\(label) with \(payload): \(response.status) \(response.text)")
                }
            }
            // NUL cannot be stored by PostgreSQL: refused everywhere with one clear answer.
            let nulBody = try await client.call(.post, "/api/v1/send_message", user: "alice", json: #"{"booking_code":"\#(code)","message":"a\u0000b"}"#)
            #expect(nulBody.status == .badRequest && nulBody.errorCode == "INVALID_TEXT")
            let nulKey = try await client.call(.post, "/ticket", bearer: admin, json: #"{"Theatre-Seat":"1-A1","Movie":"M","Price":1,"N\u0000":"x"}"#)
            #expect(nulKey.errorCode == "INVALID_TEXT")
            let escapedBackslash = try await client.call(.post, "/api/v1/send_message", user: "alice", json: #"{"booking_code":"\#(code)","message":"C:\\u0000"}"#)
            #expect(escapedBackslash.status == .created, "an escaped backslash before u0000 is text, not NUL")
            for uri in ["/movies?genre=a%00b", "/hotels?city=Goa%00", "/ticket?Theatre-Seat=1-A%00"] {
                let response = try await client.call(.get, uri)
                #expect(response.status == .badRequest && response.errorCode == "INVALID_TEXT", "\(uri)")
            }
            // Every table the payloads named is intact and the booking path still works.
            let map = try await client.call(.get, "/shows/\(app.show.showId)/seatmap").json
            #expect(map["totalSeats"]?.int == 100 && map["seats"]?.array.first { $0["id"]?.string == "E1" }?["state"]?.string == "booked")
            #expect(try await client.call(.get, "/orders/\(order)", user: "alice").json["status"]?.string == "CONFIRMED")
            #expect(try await client.hold(app, ["F1"], user: "bob").status == .created)
            #expect(try await client.call(.get, "/ready").status == .ok)
        }
    }
}
