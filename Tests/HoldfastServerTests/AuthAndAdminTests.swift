import Foundation
import HoldfastCore
import HoldfastServer
import HummingbirdTesting
import JWTKit
import Testing

@Suite struct AuthAndAdminTests {
    @Test func bearerTokensIdentifyTheUser() async throws {
        let app = try await TestApp.make(devMode: false)
        let alice = try await app.token("alice")
        try await app.test { (client) async throws in
            let created = try await client.call(
                .post, "/holds", bearer: alice, json: #"{"showId":"\#(app.show.showId)","seatIds":["A1"],"quantity":1}"#)
            #expect(try created.status == .created && (created.json["userId"]?.string) == "alice")
            let devHeader = try await client.hold(app, ["A2"], user: "alice")
            #expect(devHeader.status == .unauthorized && devHeader.errorCode == "DEV_HEADER_DISABLED")
        }
    }

    @Test func badTokensAreRefused() async throws {
        let app = try await TestApp.make()
        let expired = try await app.token("alice", ttl: -60)
        let otherKeys = JWTKeyCollection()
        await otherKeys.add(hmac: HMACKey(from: "another-secret-that-is-long-enough!!"), digestAlgorithm: .sha256)
        let forged = try await otherKeys.sign(UserToken(userId: "alice", role: .admin, expiresAt: Date().addingTimeInterval(600)))
        let unsignedHeader = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URLEncodedString()
        let unsignedBody = Data(#"{"sub":"alice","role":"admin","exp":4102444800}"#.utf8).base64URLEncodedString()
        let unsigned = "\(unsignedHeader).\(unsignedBody)."
        try await app.test { (client) async throws in
            for token in [expired, forged, unsigned, "garbage"] {
                let response = try await client.call(.get, "/orders", bearer: token)
                #expect(response.status == .unauthorized && response.errorCode == "INVALID_TOKEN", "\(token)")
            }
            let basic = try await client.call(.get, "/orders", headers: [.authorization: "Basic YWxpY2U6cHc="])
            #expect(basic.status == .unauthorized)
            #expect(try await client.call(.get, "/orders", user: "bad user id!").status == .badRequest)
        }
    }

    @Test func adminRoutesNeedTheAdminRole() async throws {
        let app = try await TestApp.make()
        let customer = try await app.token("alice")
        try await app.test { (client) async throws in
            #expect(try await client.call(.post, "/admin/movies", json: #"{"title":"X"}"#).status == .unauthorized)
            #expect(try await client.call(.post, "/admin/movies", user: "alice", json: #"{"title":"X"}"#).status == .forbidden)
            #expect(try await client.call(.post, "/admin/movies", bearer: customer, json: #"{"title":"X"}"#).status == .forbidden)
            #expect(try await client.call(.post, "/admin/shows/\(app.show.showId)/cancel", user: "alice").status == .forbidden)
        }
    }

    @Test func adminBuildsACatalogAndCancelsAShow() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            let movie = try await client.call(.post, "/admin/movies", bearer: admin, json: """
                {"title":"Night Ferry","about":"Crossing.","thumbnailUrl":"https://img.example/f.jpg","rating":7.5,
                 "durationMins":99,"ageRating":"U","releaseDate":"2027-02-01","language":"Tamil","format":"IMAX","genres":["Drama"]}
                """)
            #expect(movie.status == .created)
            let movieId = try #require(try movie.json["movieId"]?.string)
            let renamed = try await client.call(.put, "/admin/movies/\(movieId)", bearer: admin, json: #"{"title":"Night Ferry II","genres":["Drama"]}"#)
            #expect(try renamed.json["title"]?.string == "Night Ferry II")
            #expect(try await client.call(.post, "/admin/movies", bearer: admin, json: #"{"title":"X","rating":11}"#).status == .badRequest)

            let theatre = try await client.call(.post, "/admin/theatres", bearer: admin, json: #"{"name":"Dock Cinema","geoLat":12.9,"geoLng":77.6,"cancellationAvailable":false,"timeZone":"Asia/Kolkata"}"#)
            #expect(theatre.status == .created)
            let theatreId = try #require(try theatre.json["theatreId"]?.string)
            #expect(try await client.call(.post, "/admin/theatres", bearer: admin, json: #"{"name":"X","timeZone":"Mars/Base"}"#).status == .badRequest)

            let screen = try await client.call(.post, "/admin/theatres/\(theatreId)/screens", bearer: admin, json: """
                {"screenName":"Lounge","layout":{"rows":[{"label":"A","category":"STANDARD","seats":[1,2,null,3]},{"label":"B","category":"RECLINER","seats":[1,2]}]}}
                """)
            #expect(try screen.status == .created && (screen.json["totalSeats"]?.int) == 5)
            let layoutId = try #require(try screen.json["layoutId"]?.string)
            let badLayout = try await client.call(.post, "/admin/theatres/\(theatreId)/screens", bearer: admin, json: #"{"screenName":"X","layout":{"rows":[{"label":"A","category":"STANDARD","seats":[1,1]}]}}"#)
            #expect(badLayout.status == .badRequest)
            let grid = try await client.call(.post, "/admin/theatres/\(theatreId)/screens", bearer: admin, json: #"{"screenName":"Screen 2","rows":10,"cols":10}"#)
            #expect(try grid.json["totalSeats"]?.int == 100)

            let unpriced = try await client.call(.post, "/admin/shows", bearer: admin, json: #"{"movieId":"\#(movieId)","layoutId":"\#(layoutId)","startTime":"2027-02-02T14:30:00Z","price":200}"#)
            #expect(unpriced.status == .badRequest)
            let show = try await client.call(.post, "/admin/shows", bearer: admin, json: #"{"movieId":"\#(movieId)","layoutId":"\#(layoutId)","startTime":"2027-02-02T20:30:00Z","price":200,"categoryPrices":{"RECLINER":450.5}}"#)
            #expect(show.status == .created)
            let showJSON = try show.json
            let showId = try #require(showJSON["showId"]?.string)
            #expect(showJSON["date"]?.string == "2027-02-03")  // 20:30Z is after midnight in Kolkata
            let map = try await client.call(.get, "/shows/\(showId)/seatmap").json
            let recliner = map["seats"]?.array.first { $0["id"]?.string == "B1" }
            #expect(recliner?["price"]?.double == 450.5 && recliner?["category"]?.string == "RECLINER")

            let patched = try await client.call(.patch, "/admin/shows/\(showId)", bearer: admin, json: #"{"price":210}"#)
            #expect(try patched.json["price"]?.double == 210)

            _ = try await client.call(.post, "/holds", user: "alice", json: #"{"showId":"\#(showId)","seatIds":["A1"],"quantity":1}"#)
            let cancelled = try await client.call(.post, "/admin/shows/\(showId)/cancel", bearer: admin)
            #expect(try cancelled.json["status"]?.string == "CANCELLED")
            let late = try await client.call(.post, "/holds", user: "bob", json: #"{"showId":"\#(showId)","seatIds":["A2"],"quantity":1}"#)
            #expect(late.status == .conflict && late.errorCode == "SHOW_CANCELLED")
            #expect(try await client.call(.get, "/shows/\(showId)/seatmap").json["availableSeats"]?.int == 5)
        }
    }
}

extension Data {
    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
