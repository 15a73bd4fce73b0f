import Foundation
import HoldfastCore
import HummingbirdTesting
import Testing

@Suite struct CatalogDetailRoutesTests {
    @Test func movieShowAndTheatreDetails() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let movie = try await client.call(.get, "/movies/\(app.movie.movieId)")
            #expect(try movie.status == .ok && (movie.json["title"]?.string) == "Harbour Lights")
            let show = try await client.call(.get, "/shows/\(app.show.showId)")
            #expect(try show.json["theatre"]?["theatreId"]?.string == app.theatre.theatreId.uuidString)
            #expect(try show.json["totalSeats"]?.int == 100 && show.json["status"]?.string == "AVAILABLE")
            #expect(try await client.call(.get, "/shows/\(UUID())").status == .notFound)
            let theatres = try await client.call(.get, "/theatres").json["theatres"]?.array ?? []
            #expect(theatres.compactMap { $0["name"]?.string } == ["Test Cinema"])
        }
    }

    @Test func adminUpdatesTheatresAndScreens() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            let renamed = try await client.call(
                .put, "/admin/theatres/\(app.theatre.theatreId)", bearer: admin, json: #"{"name":"Renamed","cancellationAvailable":false}"#)
            #expect(try renamed.json["name"]?.string == "Renamed" && renamed.json["cancellationAvailable"]?.bool == false)
            #expect(try await client.call(.put, "/admin/theatres/\(UUID())", bearer: admin, json: #"{"name":"X"}"#).status == .notFound)

            let screens = try await client.call(.get, "/admin/theatres/\(app.theatre.theatreId)/screens", bearer: admin).json
            let layoutId = try #require(screens["screens"]?[0]?["layoutId"]?.string)
            let reshaped = try await client.call(.put, "/admin/screens/\(layoutId)", bearer: admin, json: #"{"screenName":"Screen 1","rows":5,"cols":8}"#)
            #expect(try reshaped.json["totalSeats"]?.int == 40)
            let both = try await client.call(.put, "/admin/screens/\(layoutId)", bearer: admin, json: #"{"screenName":"S","rows":5,"layout":{"rows":[]}}"#)
            #expect(both.status == .badRequest)
            // The show already on sale keeps its seats.
            #expect(try await client.call(.get, "/shows/\(app.show.showId)/seatmap").json["totalSeats"]?.int == 100)
        }
    }

    @Test func aHoldThatBecameAnOrderCannotBeReleased() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let holdId = try #require(try await client.hold(app, ["A1"], user: "alice").json["holdId"]?.string)
            #expect(try await client.order(holdId: holdId, user: "alice").status == .created)
            let release = try await client.call(.delete, "/holds/\(holdId)", user: "alice")
            #expect(release.status == .conflict && release.errorCode == "HOLD_NOT_ACTIVE")
            #expect(try await client.hold(app, ["A1"], user: "bob").status == .conflict)
        }
    }
}
