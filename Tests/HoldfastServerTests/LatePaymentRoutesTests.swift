import Foundation
import HoldfastCore
import HTTPTypes
import HummingbirdTesting
import Testing

/// A payment the gateway confirms only after the order's time ran out: the same seats are booked again when
/// they are free, else the money goes back; an admin sees every refund and every payment left hanging.
@Suite struct LatePaymentRoutesTests {
    func latePayment(_ app: TestApp, _ client: any TestClientProtocol, seat: String, takenBy thief: String?) async throws -> (order: String, payment: String) {
        let orderId = try await PaymentRoutesTests.order(client, app, seat: seat)
        let slow = try await PaymentRoutesTests.pay(client, orderId, token: "tok_timeout")
        #expect(slow.status == .accepted)
        let paymentId = try #require(try slow.json["payment"]?["paymentId"]?.string)
        app.clock.advance(by: 301)
        if let thief { #expect(try await client.hold(app, [seat], user: thief).status == .created) }
        let settled = try await PaymentRoutesTests.webhook(client, #"{"paymentId":"\#(paymentId)","status":"succeeded"}"#, at: app.clock.now())
        #expect(settled.status == .ok)
        return (orderId, paymentId)
    }

    @Test func aLatePaymentBooksTheSameSeatsWhenNobodyTookThem() async throws {
        let app = try await TestApp.make(paymentTimeout: .milliseconds(50))
        let admin = try await app.token("ops", role: .admin)
        try await app.test { client in
            let (orderId, _) = try await latePayment(app, client, seat: "G1", takenBy: nil)
            let order = try await client.call(.get, "/orders/\(orderId)", user: "alice").json
            #expect(order["status"]?.string == "CONFIRMED" && order["ticketCode"]?.string != nil)
            let map = try await client.call(.get, "/shows/\(app.show.showId)/seatmap").json
            #expect(map["seats"]?.array.first { $0["id"]?.string == "G1" }?["state"]?.string == "booked")
            #expect(try await client.call(.get, "/admin/refunds?status=PENDING", bearer: admin).json["total"]?.int == 0)
        }
    }

    @Test func aLatePaymentForSeatsSomeoneElseTookIsRefundedAndListed() async throws {
        let app = try await TestApp.make(paymentTimeout: .milliseconds(50))
        let admin = try await app.token("ops", role: .admin)
        try await app.test { client in
            let (orderId, paymentId) = try await latePayment(app, client, seat: "G2", takenBy: "bob")
            #expect(try await client.call(.get, "/orders/\(orderId)", user: "alice").json["status"]?.string == "EXPIRED")
            let pending = try await client.call(.get, "/admin/refunds?status=PENDING", bearer: admin).json
            #expect(pending["total"]?.int == 1)
            let refund = try #require(pending["refunds"]?[0])
            #expect(refund["paymentId"]?.string == paymentId && refund["reason"]?.string == "SEATS_GONE" && refund["amount"]?.double == 250)
            #expect(try await client.call(.get, "/admin/refunds", user: "alice").status == .forbidden)
            let retry = try await client.call(.post, "/admin/refunds/\(refund["refundId"]?.string ?? "")/retry", bearer: admin)
            #expect(retry.status == .conflict && retry.errorCode == "REFUND_NOT_FAILED", "only a FAILED refund is retried by hand")
        }
    }

    @Test func aPaymentTheGatewayNeverAnsweredIsListedForAnAdmin() async throws {
        let app = try await TestApp.make(paymentTimeout: .milliseconds(50))
        let admin = try await app.token("ops", role: .admin)
        try await app.test { client in
            let orderId = try await PaymentRoutesTests.order(client, app, seat: "G3")
            #expect(try await PaymentRoutesTests.pay(client, orderId, token: "tok_timeout").status == .accepted)
            #expect(try await client.call(.get, "/admin/payments/stuck", bearer: admin).json["payments"]?.array.isEmpty == true)
            app.clock.advance(by: 16 * 60)
            let stuck = try await client.call(.get, "/admin/payments/stuck", bearer: admin).json["payments"]?.array ?? []
            #expect(stuck.count == 1 && stuck.first?["orderId"]?.string == orderId && stuck.first?["token"] == nil)
            #expect(try await client.call(.get, "/admin/payments/stuck?olderThanMinutes=30", bearer: admin).json["payments"]?.array.isEmpty == true)
        }
    }
}

@Suite struct CheckInRoutesTests {
    @Test func anUsherLetsAPaidTicketInOnceAndCustomersCannotCheckIn() async throws {
        let app = try await TestApp.make()
        let usher = try await app.token("door-1", role: .usher)
        try await app.test { client in
            let orderId = try await PaymentRoutesTests.order(client, app, seat: "H5")
            let code = try #require(try await PaymentRoutesTests.pay(client, orderId, token: "tok_success").json["ticketCode"]?.string)
            let body = #"{"ticketCode":"\#(code.lowercased())","door":"North"}"#
            #expect(try await client.call(.post, "/checkin", user: "alice", json: body).status == .forbidden)
            let admitted = try await client.call(.post, "/checkin", bearer: usher, json: body)
            let admittedJSON = try admitted.json
            #expect(admitted.status == .ok && admittedJSON["seatIds"]?.strings == ["H5"] && admittedJSON["door"]?.string == "North")
            let again = try await client.call(.post, "/checkin", bearer: usher, json: body)
            #expect(again.status == .conflict && again.errorCode == "ALREADY_CHECKED_IN" && again.text.contains("North"))
            #expect(try await client.call(.post, "/checkin", bearer: usher, json: #"{"ticketCode":"NOPE1234"}"#).errorCode == "TICKET_NOT_FOUND")
            #expect(try await client.call(.post, "/checkin", bearer: usher, json: #"{"ticketCode":"bad code!"}"#).status == .badRequest)
            #expect(try await client.call(.get, "/orders", bearer: usher).status == .ok, "an usher is a user like any other elsewhere")
            #expect(try await client.call(.get, "/admin/outbox", bearer: usher).status == .forbidden)
        }
    }
}

@Suite struct ReportRoutesTests {
    @Test func anAdminSeesTheShowsFiguresAndASeatsHistory() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("ops", role: .admin)
        try await app.test { client in
            let orderId = try await PaymentRoutesTests.order(client, app, seat: "J1")
            #expect(try await PaymentRoutesTests.pay(client, orderId, token: "tok_success").status == .ok)
            _ = try await client.hold(app, ["J2", "J3"], user: "bob")
            let report = try await client.call(.get, "/admin/shows/\(app.show.showId)/report", bearer: admin).json
            #expect(report["seats"]?["booked"]?.int == 1 && report["seats"]?["held"]?.int == 2 && report["seats"]?["total"]?.int == 100)
            #expect(report["byCategory"]?["STANDARD"]?["available"]?.int == 97 && report["revenue"]?.double == 250)
            #expect(report["funnel"]?["holds"]?.int == 2 && report["funnel"]?["paid"]?.int == 1 && report["funnel"]?["holdToPaid"]?.double == 0.5)
            let history = try await client.call(.get, "/admin/shows/\(app.show.showId)/seats/J1/history", bearer: admin).json
            #expect(history["history"]?.array.map { "\($0["fromState"]?.string ?? "")>\($0["toState"]?.string ?? "")" } == [
                "AVAILABLE>HELD", "HELD>PENDING", "PENDING>BOOKED",
            ])
            #expect(try await client.call(.get, "/admin/shows/\(app.show.showId)/seats/Z99/history", bearer: admin).status == .notFound)
            #expect(try await client.call(.get, "/admin/shows/\(app.show.showId)/report", user: "alice").status == .forbidden)
        }
    }
}

@Suite struct WaitlistRoutesTests {
    @Test func aCustomerJoinsASoldOutShowsListSeesTheirPlaceAndLeaves() async throws {
        let app = try await TestApp.make()
        try await app.test { client in
            let path = "/shows/\(app.show.showId)/waitlist"
            let early = try await client.call(.post, path, user: "alice", json: #"{"quantity":2,"email":"alice@example.com"}"#)
            #expect(early.status == .conflict && early.errorCode == "SEATS_AVAILABLE")
            for row in "ABCDEFGHIJ" {
                #expect(try await client.hold(app, (1...10).map { "\(row)\($0)" }, user: "filler-\(row)").status == .created)
            }
            let joined = try await client.call(.post, path, user: "alice", json: #"{"quantity":2,"email":"alice@example.com"}"#)
            let entry = try joined.json
            #expect(joined.status == .created && entry["position"]?.int == 1 && entry["status"]?.string == "WAITING")
            #expect(try await client.call(.post, path, user: "bob", json: #"{"quantity":1,"email":"bob@example.com"}"#).status == .created)
            #expect(try await client.call(.get, path, user: "bob").json["position"]?.int == 2)
            #expect(try await client.call(.post, path, user: "bob", json: #"{"quantity":1,"email":"bob@example.com"}"#).errorCode == "ALREADY_WAITING")
            #expect(try await client.call(.post, path, user: "carol", json: #"{"quantity":2,"email":"nope"}"#).status == .badRequest)
            #expect(try await client.call(.post, path, user: "carol", json: #"{"quantity":0,"email":"c@example.com"}"#).status == .badRequest)
            #expect(try await client.call(.delete, path, user: "alice").json["status"]?.string == "LEFT")
            #expect(try await client.call(.get, path, user: "bob").json["position"]?.int == 1)
            #expect(try await client.call(.get, path, user: "alice").status == .notFound)
            #expect(try await client.call(.get, path).status == .unauthorized)
        }
    }
}

@Suite struct WaitingRoomRoutesTests {
    @Test func buyersAreAdmittedInOrderAtTheRateAndHoldsNeedTheirToken() async throws {
        let app = try await TestApp.make()
        let admin = try await app.token("ops", role: .admin)
        try await app.test { client in
            let show = app.show.showId
            let room = "/admin/shows/\(show)/waiting-room"
            // The show was read before its room opened: the room counts from the next hold on.
            #expect(try await client.call(.get, "/shows/\(show)/seatmap").status == .ok)
            #expect(try await client.call(.put, room, user: "alice", json: #"{"admissionsPerMinute":60}"#).status == .forbidden)
            #expect(try await client.call(.put, room, bearer: admin, json: #"{"admissionsPerMinute":0}"#).status == .badRequest)
            #expect(try await client.call(.put, room, bearer: admin, json: #"{"admissionsPerMinute":60,"tokenMinutes":10}"#).status == .ok)

            let queue = "/shows/\(show)/queue"
            let alice = try await client.call(.post, queue, user: "alice").json
            let bob = try await client.call(.post, queue, user: "bob").json
            let carol = try await client.call(.post, queue, user: "carol").json
            #expect(alice["admitted"]?.bool == true && alice["position"]?.int == 0)
            #expect(bob["admitted"]?.bool == false && bob["position"]?.int == 1 && bob["estimatedWaitSeconds"]?.int == 1 && bob["admissionToken"] == nil)
            #expect(carol["position"]?.int == 2 && carol["estimatedWaitSeconds"]?.int == 2)
            let aliceToken = try #require(alice["admissionToken"]?.string)

            let body = #"{"showId":"\#(show)","seatIds":["E5"]}"#
            let without = try await client.call(.post, "/holds", user: "bob", json: body)
            #expect(without.status == .forbidden && without.errorCode == "ADMISSION_REQUIRED")
            let borrowed = try await client.call(.post, "/holds", user: "bob", json: body, headers: [.admissionToken: aliceToken])
            #expect(borrowed.status == .forbidden && borrowed.errorCode == "ADMISSION_INVALID", "a token is its owner's")
            #expect(try await client.call(.post, "/holds", user: "alice", json: body, headers: [.admissionToken: aliceToken]).status == .created)
            let best = #"{"showId":"\#(show)","quantity":2}"#
            #expect(try await client.call(.post, "/holds", user: "carol", json: best).errorCode == "ADMISSION_REQUIRED")

            // One second later bob is in; carol a second after him.
            app.clock.advance(by: 1)
            let bobIn = try await client.call(.get, queue, user: "bob").json
            #expect(bobIn["admitted"]?.bool == true)
            #expect(try await client.call(.get, queue, user: "carol").json["position"]?.int == 1)
            let bobToken = try #require(bobIn["admissionToken"]?.string)
            #expect(try await client.call(.post, "/holds", user: "bob", json: #"{"showId":"\#(show)","quantity":2}"#, headers: [.admissionToken: bobToken]).status == .created)

            // Tokens lapse; closing the room lets everyone book directly again.
            app.clock.advance(by: 11 * 60)
            #expect(try await client.call(.post, "/holds", user: "alice", json: body, headers: [.admissionToken: aliceToken]).errorCode == "ADMISSION_INVALID")
            #expect(try await client.call(.get, queue, user: "dave").errorCode == "NOT_IN_QUEUE")
            #expect(try await client.call(.delete, room, bearer: admin).status == .noContent)
            #expect(try await client.call(.post, queue, user: "dave").errorCode == "NO_WAITING_ROOM")
            #expect(try await client.call(.post, "/holds", user: "dave", json: #"{"showId":"\#(show)","seatIds":["A1"]}"#).status == .created)
        }
    }
}

extension HTTPField.Name {
    static var admissionToken: Self { Self("Admission-Token")! }
}
