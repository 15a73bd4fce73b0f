import Foundation
import HoldfastCore
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct HotelRoutesTests {
    @Test func adminSetsUpAHotelAndAGuestSearchesBooksAndCancels() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            #expect(try await client.call(.post, "/admin/hotels", user: "alice", json: #"{"name":"X","city":"Y","geoLat":1,"geoLng":1}"#).status == .forbidden)
            let hotel = try await client.call(.post, "/admin/hotels", bearer: admin, json: #"{"name":"Lake Inn","city":"Udaipur","geoLat":24.58,"geoLng":73.68}"#)
            #expect(hotel.status == .created)
            let hotelId = try #require(try hotel.json["hotelId"]?.string)
            let type = try await client.call(.post, "/admin/hotels/\(hotelId)/room-types", bearer: admin, json: #"{"name":"Double","occupancy":2,"rate":4500}"#)
            let roomTypeId = try #require(try type.json["roomTypeId"]?.string)
            let inventory = try await client.call(.put, "/admin/room-types/\(roomTypeId)/inventory", bearer: admin, json: #"{"from":"2027-05-01","to":"2027-05-08","total":2}"#)
            #expect(try inventory.json["nights"]?.array.count == 7)

            let search = "/hotels/search?city=udaipur&checkIn=2027-05-02&checkOut=2027-05-04&guests=2"
            let found = try await client.call(.get, search).json
            #expect(found["total"]?.int == 1 && found["results"]?[0]?["totalPrice"]?.double == 9000 && found["results"]?[0]?["available"]?.int == 2)
            for bad in ["/hotels/search?city=udaipur", "/hotels/search?city=udaipur&checkIn=2027-05-04&checkOut=2027-05-02",
                        "/hotels/search?city=udaipur&checkIn=2027-05-02&checkOut=2027-05-04&sort=distance", "/hotels/search?city=udaipur&checkIn=2027-05-02&checkOut=2027-07-04"] {
                #expect(try await client.call(.get, bad).status == .badRequest, "\(bad)")
            }

            let body = #"{"roomTypeId":"\#(roomTypeId)","checkIn":"2027-05-02","checkOut":"2027-05-04","rooms":2,"guests":4}"#
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "stay-1"]
            let booked = try await client.call(.post, "/book", user: "alice", json: body, headers: key)
            #expect(try booked.status == .created && (booked.json["amount"]?.double) == 18000)
            let replay = try await client.call(.post, "/book", user: "alice", json: body, headers: key)
            #expect(try replay.json["bookingId"]?.string == booked.json["bookingId"]?.string)
            let full = try await client.call(.post, "/book", user: "bob", json: body)
            #expect(full.status == .conflict && full.errorCode == "NO_AVAILABILITY")
            #expect(try await client.call(.get, search).json["total"]?.int == 0)

            let bookingId = try #require(try booked.json["bookingId"]?.string)
            #expect(try await client.call(.get, "/bookings/\(bookingId)", user: "bob").status == .notFound)
            #expect(try await client.call(.get, "/bookings", user: "alice").json["total"]?.int == 1)
            let moved = try await client.call(.put, "/bookings/\(bookingId)/dates", user: "alice", json: #"{"checkIn":"2027-05-05","checkOut":"2027-05-07"}"#)
            #expect(try moved.status == .ok && moved.json["checkIn"]?.string == "2027-05-05")
            #expect(try await client.call(.get, search).json["results"]?[0]?["available"]?.int == 2)
            #expect(try await client.call(.put, "/bookings/\(bookingId)/dates", user: "alice", json: #"{"checkIn":"2027-05-07","checkOut":"2027-05-09"}"#).errorCode == "NO_AVAILABILITY")
            let cancelled = try await client.call(.post, "/bookings/\(bookingId)/cancel", user: "alice")
            #expect(try cancelled.json["status"]?.string == "CANCELLED")
            #expect(try await client.call(.get, search).json["results"]?[0]?["available"]?.int == 2)
            #expect(try await client.call(.post, "/book", user: "carol", json: #"{"roomTypeId":"\#(roomTypeId)","checkIn":"2027-05-02","checkOut":"2027-05-04","rooms":1,"guests":3}"#).status == .badRequest)
        }
    }
}
