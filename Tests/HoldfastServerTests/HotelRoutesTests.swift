import Foundation
import HoldfastCore
import HoldfastStore
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

            let body = #"{"roomTypeId":"\#(roomTypeId)","checkIn":"2027-05-02","checkOut":"2027-05-04","rooms":2,"guests":4,"guest":{"name":"Alice Rao","email":"alice@example.com"}}"#
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
            #expect(try await client.call(.post, "/book", user: "carol", json: #"{"roomTypeId":"\#(roomTypeId)","checkIn":"2027-05-02","checkOut":"2027-05-04","rooms":1,"guests":3,"guest":{"name":"Carol","email":"carol@example.com"}}"#).status == .badRequest)
            let noGuest = #"{"roomTypeId":"\#(roomTypeId)","checkIn":"2027-05-02","checkOut":"2027-05-04","rooms":1,"guests":1}"#
            #expect(try await client.call(.post, "/book", user: "carol", json: noGuest).status == .badRequest)
            let badEmail = #"{"roomTypeId":"\#(roomTypeId)","checkIn":"2027-05-02","checkOut":"2027-05-04","guest":{"name":"Carol","email":"carol"}}"#
            #expect(try await client.call(.post, "/book", user: "carol", json: badEmail).status == .badRequest)
        }
    }
}

@Suite struct HotelOperationsRoutesTests {
    @Test func aPMSPushShrinksInventoryAndTheAdminSeesWhatCouldNotBePlaced() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            let hotel = try await client.call(.post, "/admin/hotels", bearer: admin, json: #"{"name":"Dune Camp","city":"Jaisalmer","geoLat":26.91,"geoLng":70.91}"#)
            let hotelId = try #require(try hotel.json["hotelId"]?.string)
            let type = try await client.call(.post, "/admin/hotels/\(hotelId)/room-types", bearer: admin, json: #"{"name":"Tent","occupancy":2,"rate":3000}"#)
            let roomTypeId = try #require(try type.json["roomTypeId"]?.string)
            _ = try await client.call(.put, "/admin/room-types/\(roomTypeId)/inventory", bearer: admin, json: #"{"from":"2027-02-01","to":"2027-02-05","total":1}"#)
            let pms = try await client.call(
                .post, "/admin/webhooks", bearer: admin, json: #"{"url":"http://127.0.0.1:9/pms","eventTypes":["*"],"hotelId":"\#(hotelId)"}"#)
            #expect(try pms.status == .created && pms.json["hotelId"]?.string == hotelId)
            let secret = try #require(try pms.json["secret"]?.string)
            let again = try await client.call(.post, "/admin/webhooks", bearer: admin, json: #"{"url":"http://127.0.0.1:9/x","eventTypes":["*"],"hotelId":"\#(hotelId)"}"#)
            #expect(again.errorCode == "PMS_EXISTS")
            let unknown = try await client.call(.post, "/admin/webhooks", bearer: admin, json: #"{"url":"http://127.0.0.1:9/x","eventTypes":["*"],"hotelId":"\#(UUID())"}"#)
            #expect(unknown.status == .notFound)

            let book = #"{"roomTypeId":"\#(roomTypeId)","checkIn":"2027-02-02","checkOut":"2027-02-04","guests":2,"guest":{"name":"Ira","email":"ira@example.com"}}"#
            let booked = try await client.call(.post, "/book", user: "ira", json: book)
            let bookingId = try #require(try booked.json["bookingId"]?.string)

            // The PMS says the only tent is out for night 3; wrong or missing signatures change nothing.
            let push = #"{"roomTypeId":"\#(roomTypeId)","from":"2027-02-03","to":"2027-02-04","total":0}"#
            let path = "/pms/hotels/\(hotelId)/inventory"
            #expect(try await client.call(.put, path, json: push).status == .unauthorized)
            #expect(try await client.signedCall(.put, path, json: push, secret: "not-the-secret-at-all", at: app.clock.now()).status == .unauthorized)
            #expect(try await client.signedCall(.put, path, json: push, secret: secret, at: app.clock.now().addingTimeInterval(-600)).status == .unauthorized)
            #expect(try await client.signedCall(.put, "/pms/hotels/\(UUID())/inventory", json: push, secret: secret, at: app.clock.now()).status == .unauthorized)
            let otherType = #"{"roomTypeId":"\#(UUID())","from":"2027-02-03","to":"2027-02-04","total":0}"#
            #expect(try await client.signedCall(.put, path, json: otherType, secret: secret, at: app.clock.now()).status == .notFound)
            let negative = #"{"roomTypeId":"\#(roomTypeId)","from":"2027-02-03","to":"2027-02-04","total":-1}"#
            #expect(try await client.signedCall(.put, path, json: negative, secret: secret, at: app.clock.now()).status == .badRequest)
            let pushed = try await client.signedCall(.put, path, json: push, secret: secret, at: app.clock.now())
            #expect(try pushed.status == .ok && pushed.json["nights"]?[0]?["total"]?.int == 0 && pushed.json["nights"]?[0]?["sold"]?.int == 1)

            // The checker finds nowhere to move Ira (the only hotel in town) and escalates.
            let outcome = try await OverbookingResolver(stores: app.dependencies.stores, clock: app.clock).resolve()
            #expect(outcome.escalated == 1)
            #expect(try await client.call(.get, "/bookings/\(bookingId)", user: "ira").json["status"]?.string == "NEEDS_ATTENTION")
            #expect(try await client.call(.get, "/admin/hotel-bookings", user: "ira").status == .forbidden)
            let list = try await client.call(.get, "/admin/hotel-bookings", bearer: admin).json
            #expect(list["total"]?.int == 1 && list["bookings"]?[0]?["bookingId"]?.string == bookingId)
            #expect(try await client.call(.get, "/admin/hotel-bookings?status=BOGUS", bearer: admin).status == .badRequest)
            let dates = try await client.call(.put, "/bookings/\(bookingId)/dates", user: "ira", json: #"{"checkIn":"2027-02-01","checkOut":"2027-02-02"}"#)
            #expect(dates.errorCode == "BOOKING_NEEDS_ATTENTION")
            let cancelled = try await client.call(.post, "/admin/hotel-bookings/\(bookingId)/cancel", bearer: admin)
            #expect(try cancelled.json["status"]?.string == "CANCELLED")
            #expect(try await client.call(.get, "/admin/hotel-bookings", bearer: admin).json["total"]?.int == 0)
        }
    }

    @Test func adminTakesARoomOutOfServiceAndBack() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("root", role: .admin)
        try await app.test { (client) async throws in
            let hotel = try await client.call(.post, "/admin/hotels", bearer: admin, json: #"{"name":"Tower","city":"Kochi","geoLat":9.93,"geoLng":76.26}"#)
            let hotelId = try #require(try hotel.json["hotelId"]?.string)
            let type = try await client.call(.post, "/admin/hotels/\(hotelId)/room-types", bearer: admin, json: #"{"name":"Twin","occupancy":2,"rate":2500}"#)
            let roomTypeId = try #require(try type.json["roomTypeId"]?.string)
            _ = try await client.call(.put, "/admin/room-types/\(roomTypeId)/inventory", bearer: admin, json: #"{"from":"2027-04-01","to":"2027-04-10","total":2}"#)
            let added = try await client.call(.post, "/admin/room-types/\(roomTypeId)/rooms", bearer: admin, json: #"{"numbers":["201","202"]}"#)
            #expect(added.status == .created)
            let roomId = try #require(try added.json["rooms"]?[0]?["roomId"]?.string)
            #expect(try await client.call(.post, "/admin/room-types/\(roomTypeId)/rooms", bearer: admin, json: #"{"numbers":["201"]}"#).errorCode == "ROOM_EXISTS")
            #expect(try await client.call(.post, "/admin/room-types/\(roomTypeId)/rooms", bearer: admin, json: #"{"numbers":[]}"#).status == .badRequest)
            #expect(try await client.call(.post, "/admin/room-types/\(roomTypeId)/rooms", user: "eve", json: #"{"numbers":["9"]}"#).status == .forbidden)

            let outage = try await client.call(
                .post, "/admin/rooms/\(roomId)/out-of-service", bearer: admin, json: #"{"from":"2027-04-02","to":"2027-04-04","reason":"painting"}"#)
            #expect(outage.status == .created)
            let outageId = try #require(try outage.json["outageId"]?.string)
            let backwards = #"{"from":"2027-04-04","to":"2027-04-02","reason":"x"}"#
            #expect(try await client.call(.post, "/admin/rooms/\(roomId)/out-of-service", bearer: admin, json: backwards).status == .badRequest)
            let search = "/hotels/search?city=kochi&checkIn=2027-04-02&checkOut=2027-04-03"
            #expect(try await client.call(.get, search).json["results"]?[0]?["available"]?.int == 1)
            let listed = try await client.call(.get, "/admin/room-types/\(roomTypeId)/rooms", bearer: admin).json
            #expect(listed["rooms"]?.array.count == 2 && listed["outages"]?[0]?["outageId"]?.string == outageId)
            let ended = try await client.call(.post, "/admin/room-outages/\(outageId)/end", bearer: admin)
            #expect(try ended.status == .ok && ended.json["endedAt"] != nil)
            #expect(try await client.call(.get, search).json["results"]?[0]?["available"]?.int == 2)
            #expect(try await client.call(.post, "/admin/room-outages/\(UUID())/end", bearer: admin).status == .notFound)
        }
    }
}
