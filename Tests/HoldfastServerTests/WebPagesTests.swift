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

    @Test func hotelSearchRendersPricesAndExplainsBadDates() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            let hotel = try await client.call(.post, "/admin/hotels", bearer: admin, json: #"{"name":"Fort <Inn>","city":"Kochi","geoLat":9.9,"geoLng":76.2}"#)
            let hotelId = try #require(try hotel.json["hotelId"]?.string)
            let type = try await client.call(.post, "/admin/hotels/\(hotelId)/room-types", bearer: admin, json: #"{"name":"Twin","occupancy":2,"rate":2500}"#)
            let roomTypeId = try #require(try type.json["roomTypeId"]?.string)
            _ = try await client.call(.put, "/admin/room-types/\(roomTypeId)/inventory", bearer: admin, json: #"{"from":"2027-04-01","to":"2027-04-10","total":2}"#)
            let form = try await client.call(.get, "/hotels")
            #expect(form.status == .ok && form.text.contains(#"<label>City <input name="city""#) && !form.text.contains("li class=\"hotel\""))
            let found = try await client.call(.get, "/hotels?city=kochi&checkIn=2027-04-02&checkOut=2027-04-04&guests=2&rooms=1")
            #expect(found.status == .ok && found.text.contains("Fort &lt;Inn&gt;") && found.text.contains("5000.00") && found.text.contains(#"data-room-type="\#(roomTypeId)""#))
            let none = try await client.call(.get, "/hotels?city=kochi&checkIn=2027-05-02&checkOut=2027-05-04&guests=2&rooms=1")
            #expect(none.text.contains("Nothing free in kochi"))
            let backwards = try await client.call(.get, "/hotels?city=kochi&checkIn=2027-04-04&checkOut=2027-04-02")
            #expect(backwards.status == .badRequest && backwards.text.contains("checkOut must be after checkIn"))
            #expect(try await client.call(.get, "/my/bookings").text.contains(#"<ul id="bookings""#))
            let chat = try await client.call(.get, "/chat/RIDE-77")
            #expect(chat.status == .ok && chat.text.contains(#"data-code="RIDE-77""#) && chat.text.contains(#"<label for="chat-text">Message</label>"#))
            #expect(try await client.call(.get, "/chat/x").status == .notFound)
        }
    }
}
