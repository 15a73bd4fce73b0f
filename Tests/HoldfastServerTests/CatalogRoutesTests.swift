import Foundation
import HoldfastCore
import HummingbirdTesting
import Testing

@Suite struct CatalogRoutesTests {
    @Test func moviesListWithPaginationAndFilters() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let all = try await client.call(.get, "/movies?page=1&pageSize=10")
            #expect(all.status == .ok)
            let movie = try #require(try all.json["movies"]?[0])
            #expect(movie["title"]?.string == "Harbour Lights")
            #expect(movie["durationMins"]?.int == 120 && movie["ageRating"]?.string == "UA")
            #expect(movie["releaseDate"]?.string == "2027-01-01" && movie["rating"]?.double == 8.2)
            #expect(try all.json["total"]?.int == 1 && all.json["pageSize"]?.int == 10)

            #expect(try await client.call(.get, "/movies?language=english&genre=drama&format=2D").json["total"]?.int == 1)
            #expect(try await client.call(.get, "/movies?language=Tamil").json["total"]?.int == 0)
            let date = app.show.localDate.description
            #expect(try await client.call(.get, "/movies?date=\(date)").json["total"]?.int == 1)
            #expect(try await client.call(.get, "/movies?date=2030-01-01").json["total"]?.int == 0)
        }
    }

    @Test func badCatalogQueriesAreRefused() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            for uri in ["/movies?pageSize=0", "/movies?pageSize=101", "/movies?page=abc", "/movies?date=2026-02-30",
                        "/movies?colour=blue", "/movies?page=1&page=2", "/movies/not-a-uuid", "/movies/\(app.movie.movieId)/shows?date=tomorrow"] {
                let response = try await client.call(.get, uri)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(try response.json["error"]?["timestamp"]?.string != nil, "\(uri)")
            }
            #expect(try await client.call(.get, "/movies/\(UUID())").status == .notFound)
            #expect(try await client.call(.get, "/shows/\(UUID())/seatmap").status == .notFound)
            let unknown = try await client.call(.get, "/no-such-route")
            #expect(unknown.status == .notFound && unknown.errorCode == "NOT_FOUND")
        }
    }

    @Test func showsByDateCarryTheatreAndStatus() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let response = try await client.call(.get, "/movies/\(app.movie.movieId)/shows?date=\(app.show.localDate)")
            #expect(response.status == .ok)
            let show = try #require(try response.json["shows"]?[0])
            #expect(show["showId"]?.string == app.show.showId.uuidString)
            #expect(show["status"]?.string == "AVAILABLE" && show["availableSeats"]?.int == 100)
            #expect(show["price"]?.double == 250 && show["theatre"]?["name"]?.string == "Test Cinema")
            #expect(show["theatre"]?["cancellationAvailable"]?.bool == true)

            for user in 0..<6 {
                let seats = (1...10).map { "\(["A", "B", "C", "D", "E", "F"][user])\($0)" }
                #expect(try await client.hold(app, seats, user: "u\(user)").status == .created)
            }
            let busy = try await client.call(.get, "/movies/\(app.movie.movieId)/shows?date=\(app.show.localDate)")
            #expect(try busy.json["shows"]?[0]?["status"]?.string == "FILLING_FAST")
            #expect(try busy.json["shows"]?[0]?["availableSeats"]?.int == 40)
            let other = try await client.call(.get, "/movies/\(app.movie.movieId)/shows?date=2030-01-01")
            #expect(try other.json["shows"]?.array.isEmpty == true)
        }
    }

    @Test func seatMapListsEverySeatWithStateAndMine() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            #expect(try await client.hold(app, ["A1", "A2"], user: "alice").status == .created)
            #expect(try await client.hold(app, ["B1"], user: "bob").status == .created)
            let response = try await client.call(.get, "/shows/\(app.show.showId)/seatmap", user: "alice")
            #expect(response.status == .ok)
            let json = try response.json
            let seats = json["seats"]?.array ?? []
            #expect(seats.count == 100)
            let byId = Dictionary(uniqueKeysWithValues: seats.map { ($0["id"]?.string ?? "", $0) })
            #expect(byId["A1"]?["state"]?.string == "held" && byId["A1"]?["mine"]?.bool == true)
            #expect(byId["B1"]?["state"]?.string == "held" && byId["B1"]?["mine"]?.bool == false)
            #expect(byId["J10"]?["state"]?.string == "available" && byId["J10"]?["row"]?.string == "J")
            #expect(byId["J10"]?["number"]?.int == 10 && byId["J10"]?["category"]?.string == "STANDARD")
            #expect(byId["J10"]?["price"]?.double == 250)
            #expect(json["availableSeats"]?.int == 97 && json["rows"]?.array.count == 10)
            // Anonymous callers see states but nothing is theirs.
            let anonymous = try await client.call(.get, "/shows/\(app.show.showId)/seatmap")
            #expect(try anonymous.json["seats"]?.array.allSatisfy { $0["mine"]?.bool == false } == true)
        }
    }
}
