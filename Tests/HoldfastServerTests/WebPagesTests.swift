import Foundation
import HoldfastCore
import HoldfastStore
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct WebPagesTests {
    @Test func nowShowingMovieAndSeatPickerPagesRenderWhatIsOnSale() async throws {
        let app = try await TestApp.make()
        let catalog = CatalogService(stores: app.dependencies.stores, clock: app.clock)
        try await catalog.saveMovie(Movie(movieId: UUID(), title: "<b>Bold</b> & Co", language: "Hindi", genres: ["Comedy"], createdAt: app.clock.now()))
        let showDate = CalendarDate(app.show.startTime, in: .gmt)
        try await app.test { (client) async throws in
            let home = try await client.call(.get, "/?date=\(showDate)")
            #expect(home.status == .ok && home.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(home.text.contains("Now showing") && home.text.contains("Harbour Lights") && home.text.contains("/movie/\(app.movie.movieId.uuidString)"))
            #expect(home.text.contains(#"<label>Language"#) && home.text.contains(#"lang="en""#))
            #expect(!home.text.contains("<b>Bold</b>"), "titles are escaped")
            let comedy = try await client.call(.get, "/?genre=Comedy&date=\(showDate)")
            #expect(comedy.text.contains("No movies match") && !comedy.text.contains("Harbour Lights"))

            let movie = try await client.call(.get, "/movie/\(app.movie.movieId)?date=\(showDate)")
            #expect(movie.status == .ok && movie.text.contains("Test Cinema") && movie.text.contains("/show/\(app.show.showId.uuidString)"))
            #expect(movie.text.contains("Available") && movie.text.contains("100 seats left"))
            #expect(try await client.call(.get, "/movie/\(UUID())").status == .notFound)
            #expect(try await client.call(.get, "/movie/not-a-uuid").status == .notFound)

            #expect(try await client.hold(app, ["A1"], user: "bob").status == .created)
            let picker = try await client.call(.get, "/show/\(app.show.showId)")
            #expect(picker.status == .ok && picker.text.contains(#"data-show="\#(app.show.showId.uuidString)""#))
            #expect(picker.text.contains(#"class="seat held" data-seat="A1""#) && picker.text.contains(#"class="seat available" data-seat="A2""#))
            #expect(picker.text.components(separatedBy: "data-seat=").count - 1 == 100)
            #expect(picker.text.contains(#"aria-label="Seat A2, Standard, "#))
            #expect(try await client.call(.get, "/show/\(UUID())").status == .notFound)

            let holdId = UUID()
            let checkout = try await client.call(.get, "/checkout/\(holdId)")
            #expect(checkout.status == .ok && checkout.text.contains(#"data-hold="\#(holdId.uuidString)""#))
            #expect(checkout.text.contains(#"<label for="email">Email</label>"#) && checkout.text.contains(#"type="email" required"#))
            #expect(try await client.call(.get, "/checkout/nope").status == .notFound)
            let orderId = UUID()
            #expect(try await client.call(.get, "/ticket/\(orderId)").text.contains(#"data-order="\#(orderId.uuidString)""#))
            #expect(try await client.call(.get, "/ticket/nope").status == .notFound)

            let orders = try await client.call(.get, "/my/orders")
            #expect(orders.status == .ok && orders.text.contains(#"<table id="orders""#) && orders.text.contains(#"scope="col">Ticket code"#))

            let signIn = try await client.call(.get, "/signin")
            #expect(signIn.text.contains(#"<label for="user">User name</label>"#))
            let script = try await client.call(.get, "/static/app.js")
            #expect(script.status == .ok && script.text.contains("watch_show"))
        }
    }
}
