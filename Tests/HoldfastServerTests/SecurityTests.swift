import Foundation
import HoldfastCore
import HoldfastServer
import HTTPTypes
import HummingbirdTesting
import Crypto
import JWTKit
import Testing

/// Who may call what, checked route by route against what the OpenAPI document promises, and what a
/// customer can see of another customer's things.
@Suite struct SecurityTests {
    enum Access: Equatable {
        case everyone, user, admin, signed, optionalUser
    }

    struct Operation {
        let method: String
        let path: String
        var access = Access.user
        var takesBody = false
        var paged = false
    }

    /// Every documented operation with the access its `security` line promises (none: a signed-in user),
    /// whether it takes a request body and whether it is paged.
    static func documentedOperations(_ yaml: String) -> [Operation] {
        var result: [Operation] = []
        var inPaths = false
        var path = ""
        var current: Operation?
        func flush() {
            if let current { result.append(current) }
            current = nil
        }
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if !line.hasPrefix(" ") && !line.isEmpty {
                flush()
                inPaths = line == "paths:"
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   ") {
                flush()
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let key = line.split(separator: ":").first?.trimmingCharacters(in: .whitespaces),
                ["get", "put", "post", "patch", "delete"].contains(key) {
                flush()
                current = Operation(method: key.uppercased(), path: path)
            } else if current != nil, line.hasPrefix("      security:") {
                let value = line.dropFirst("      security:".count).trimmingCharacters(in: .whitespaces)
                current?.access = switch value {
                case "[]": .everyone
                case "[{bearer: []}]": .admin
                case _ where value.contains("webhookSignature"): .signed
                default: .optionalUser
                }
            } else if current != nil, line.hasPrefix("      requestBody:") {
                current?.takesBody = true
            } else if current != nil, line.hasPrefix("      "), line.contains("#/components/parameters/pageSize") {
                current?.paged = true
            }
        }
        flush()
        return result
    }

    static func concrete(_ path: String) -> String {
        path.replacing(/\{[A-Za-z]+\}/) { match in match.output == "{bookingCode}" ? "RIDE-1" : UUID().uuidString }
    }

    @Test func everyRouteEnforcesTheAccessItsDocumentPromises() async throws {
        let app = try await TestApp.make(devMode: false)
        let customer = try await app.token("mallory")
        let operations = Self.documentedOperations(app.dependencies.pages.apiDocument).filter { $0.path != "/ws" }
        #expect(operations.count > 70)
        #expect(operations.filter { $0.access == .admin }.count >= 35, "the admin routes are recognised")
        try await app.test { client in
            for operation in operations {
                let method = HTTPRequest.Method(operation.method)!
                let uri = Self.concrete(operation.path)
                let body = method == .get || method == .delete ? nil : "{}"
                let anonymous = try await client.call(method, uri, json: body)
                let asCustomer = try await client.call(method, uri, bearer: customer, json: body)
                let label = "\(operation.method) \(operation.path)"
                switch operation.access {
                case .admin:
                    #expect(anonymous.status == .unauthorized, "\(label) anonymous: \(anonymous.status)")
                    #expect(asCustomer.status == .forbidden, "\(label) as a customer: \(asCustomer.status)")
                case .user:
                    #expect(anonymous.status == .unauthorized, "\(label) anonymous: \(anonymous.status)")
                    #expect(![.unauthorized, .forbidden].contains(asCustomer.status), "\(label) as a customer: \(asCustomer.status)")
                case .signed:
                    #expect(anonymous.status == .unauthorized && asCustomer.status == .unauthorized, "\(label) unsigned")
                case .everyone, .optionalUser:
                    #expect(![.unauthorized, .forbidden].contains(anonymous.status), "\(label) anonymous: \(anonymous.status)")
                }
                #expect(anonymous.status.code < 500 && asCustomer.status.code < 500, "\(label)")
            }
        }
    }

    @Test func everyBodyAndPageIsBounded() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("ops", role: .admin)
        let operations = Self.documentedOperations(app.dependencies.pages.apiDocument)
        let limit = app.dependencies.configuration.maxBodyBytes
        let oversized = #"{"padding":""# + String(repeating: "x", count: limit) + #""}"#
        #expect(operations.filter(\.takesBody).count >= 25 && operations.filter(\.paged).count >= 6)
        try await app.test { client in
            for operation in operations where operation.takesBody {
                let response = try await client.call(HTTPRequest.Method(operation.method)!, Self.concrete(operation.path), bearer: admin, json: oversized)
                #expect(response.status == .contentTooLarge && response.errorCode == "PAYLOAD_TOO_LARGE", "\(operation.method) \(operation.path): \(response.status)")
            }
            for operation in operations where operation.paged {
                let uri = Self.concrete(operation.path) + "?pageSize=101"
                let response = try await client.call(HTTPRequest.Method(operation.method)!, uri, bearer: admin)
                #expect(response.status == .badRequest, "\(uri): \(response.status)")
            }
        }
    }

    @Test func anotherCustomersThingsAreInvisible() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("ops", role: .admin)
        try await app.test { client in
            // Alice holds, orders and pays; books a room; talks in her ticket's conversation.
            let hold = try #require(try await client.hold(app, ["C1", "C2"], user: "alice").json["holdId"]?.string)
            let order = try #require(try await client.order(holdId: hold, user: "alice").json["orderId"]?.string)
            let paid = try await client.call(.post, "/orders/\(order)/confirm-payment", user: "alice", json: #"{"paymentToken":"tok_success"}"#)
            let code = try #require(try paid.json["ticketCode"]?.string)
            let secondHold = try #require(try await client.hold(app, ["C5"], user: "alice").json["holdId"]?.string)
            let hotel = try #require(try await client.call(.post, "/admin/hotels", bearer: admin, json: #"{"name":"Inn","city":"Goa","geoLat":15.5,"geoLng":73.8}"#).json["hotelId"]?.string)
            let type = try #require(try await client.call(.post, "/admin/hotels/\(hotel)/room-types", bearer: admin, json: #"{"name":"Double","occupancy":2,"rate":3000}"#).json["roomTypeId"]?.string)
            _ = try await client.call(.put, "/admin/room-types/\(type)/inventory", bearer: admin, json: #"{"from":"2027-03-01","to":"2027-03-10","total":3}"#)
            let booking = try #require(try await client.call(.post, "/book", user: "alice", json: #"{"roomTypeId":"\#(type)","checkIn":"2027-03-02","checkOut":"2027-03-04","guest":{"name":"Alice","email":"alice@example.com"}}"#).json["bookingId"]?.string)
            #expect(try await client.call(.post, "/api/v1/send_message", user: "alice", json: #"{"booking_code":"\#(code)","message":"Row C, please"}"#).status == .created)

            // Bob sees and changes none of it: every answer is the same 404 as for a thing that does not exist.
            let probes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/holds/\(secondHold)", nil), (.put, "/holds/\(secondHold)", #"{"extend":true}"#), (.delete, "/holds/\(secondHold)", nil),
                (.post, "/orders", #"{"holdId":"\#(secondHold)","customer":{"name":"Bob","email":"bob@example.com","phone":"9876543210"}}"#),
                (.get, "/orders/\(order)", nil), (.post, "/orders/\(order)/cancel", nil),
                (.post, "/orders/\(order)/confirm-payment", #"{"paymentToken":"tok_success"}"#),
                (.get, "/bookings/\(booking)", nil), (.post, "/bookings/\(booking)/cancel", nil),
                (.put, "/bookings/\(booking)/dates", #"{"checkIn":"2027-03-05","checkOut":"2027-03-06"}"#),
                (.get, "/api/v1/get_message?booking_code=\(code)", nil),
                (.post, "/api/v1/send_message", #"{"booking_code":"\#(code)","message":"hi"}"#),
                (.post, "/api/v1/make_call", #"{"booking_code":"\#(code)","action":"initiate"}"#),
            ]
            for (method, uri, body) in probes {
                let response = try await client.call(method, uri, user: "bob", json: body)
                #expect(response.status == .notFound, "\(method) \(uri): \(response.status)")
            }
            #expect(try await client.call(.get, "/orders", user: "bob").json["total"]?.int == 0)
            #expect(try await client.call(.get, "/bookings", user: "bob").json["total"]?.int == 0)
            let mine = try await client.call(.get, "/shows/\(app.show.showId)/seatmap", user: "bob").json
            #expect(mine["seats"]?.array.filter { $0["mine"]?.bool == true }.isEmpty == true, "Alice's seats are not Bob's")

            // …and everything of Alice's is as she left it.
            #expect(try await client.call(.get, "/holds/\(secondHold)", user: "alice").json["status"]?.string == "HELD")
            #expect(try await client.call(.get, "/orders/\(order)", user: "alice").json["status"]?.string == "CONFIRMED")
            #expect(try await client.call(.get, "/bookings/\(booking)", user: "alice").json["status"]?.string == "CONFIRMED")
            #expect(try await client.call(.get, "/api/v1/get_message?booking_code=\(code)", user: "alice").json["messages"]?.array.count == 1)
        }
    }

    @Test func aTokenSignedWithTheRightSecretButAnotherAlgorithmIsRefused() async throws {
        let app = try await TestApp.make(devMode: false)
        let header = Data(#"{"alg":"HS512","typ":"JWT"}"#.utf8).base64URLEncodedString()
        let claims = Data(#"{"sub":"alice","role":"admin","exp":4102444800}"#.utf8).base64URLEncodedString()
        let mac = HMAC<SHA512>.authenticationCode(for: Data("\(header).\(claims)".utf8), using: SymmetricKey(data: Data(TestApp.secret.utf8)))
        let hs512 = "\(header).\(claims).\(Data(mac).base64URLEncodedString())"
        try await app.test { client in
            let response = try await client.call(.get, "/admin/outbox", bearer: hs512)
            #expect(response.status == .unauthorized && response.errorCode == "INVALID_TOKEN")
        }
    }
}
