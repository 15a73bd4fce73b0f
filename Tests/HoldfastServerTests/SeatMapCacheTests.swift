import Foundation
import HoldfastCore
import HoldfastStore
import HummingbirdTesting
import Testing

/// The seat map is kept built and encoded between reads; these check that it is never served stale.
@Suite struct SeatMapCacheTests {
    private func states(_ response: TestResponse) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try response.json["seats"]?.array.map { ($0["id"]?.string ?? "", $0["state"]?.string ?? "") } ?? [])
    }

    @Test func changesMadeBehindTheServersBackShowInTheNextRead() async throws {
        let app = try await TestApp.make()
        // Another instance, the sweeper or a console: it writes to the same store without this server knowing.
        let elsewhere = BookingService(stores: app.dependencies.stores, clock: app.clock, policy: BookingPolicy())
        try await app.test { (client) async throws in
            let path = "/shows/\(app.show.showId)/seatmap"
            #expect(try states(try await client.call(.get, path))["C3"] == "available")
            let hold = try await elsewhere.createHold(showId: app.show.showId, seatIds: ["C3", "C4"], quantity: 2, userId: "carol")
            #expect(try states(try await client.call(.get, path))["C3"] == "held")
            let order = try await elsewhere.createOrder(holdId: hold.holdId, customer: Customer(name: "Carol", email: "c@example.com", phone: "9876543210"), userId: "carol")
            _ = try await elsewhere.confirmPayment(orderId: order.orderId, userId: "carol")
            let booked = try await client.call(.get, path)
            #expect(try states(booked)["C4"] == "booked" && booked.json["availableSeats"]?.int == 98)

            // A hold lapses by the clock alone, with no write: the next read shows the seat free.
            #expect(try await client.hold(app, ["D1"], user: "dan").status == .created)
            #expect(try states(try await client.call(.get, path))["D1"] == "held")
            app.clock.advance(by: 3_600)
            #expect(try states(try await client.call(.get, path))["D1"] == "available")

            // A change to the show itself (cancelled) shows too.
            _ = try await CatalogService(stores: app.dependencies.stores, clock: app.clock).cancelShow(app.show.showId)
            #expect(try await client.call(.get, path).json["status"]?.string == "CANCELLED")
        }
    }

    @Test func holdersSeeTheirSeatsAsTheirsAndNobodyElseDoes() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let path = "/shows/\(app.show.showId)/seatmap"
            #expect(try await client.hold(app, ["E1"], user: "erin").status == .created)
            for _ in 0..<2 {
                let mine = try await client.call(.get, path, user: "erin").json["seats"]?.array.filter { $0["mine"]?.bool == true }
                #expect(mine?.map { $0["id"]?.string } == ["E1"])
                for caller in [nil, "frank"] as [String?] {
                    let seats = try await client.call(.get, path, user: caller).json["seats"]?.array ?? []
                    #expect(seats.count == 100 && seats.allSatisfy { $0["mine"]?.bool == false })
                }
            }
        }
    }

    /// Readers and buyers at once: every buyer, right after its 201, reads its seats as held, and every read
    /// agrees with itself (available count and seat states), however many readers share a check.
    @Test func aCrowdOfReadersNeverSeesAnOlderMapThanItsOwnLastHold() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let path = "/shows/\(app.show.showId)/seatmap"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for buyer in 0..<20 {
                    group.addTask {
                        let seats = ["F", "G"].map { "\($0)\(buyer % 10 + 1)" }
                        let row = buyer < 10 ? [seats[0]] : [seats[1]]
                        let held = try await client.hold(app, row, user: "buyer\(buyer)")
                        #expect(held.status == .created)
                        let after = try states(try await client.call(.get, path))
                        #expect(after[row[0]] == "held", "\(row[0]) after its hold")
                    }
                }
                for _ in 0..<40 {
                    group.addTask {
                        let map = try await client.call(.get, path).json
                        let seats = map["seats"]?.array ?? []
                        #expect(map["availableSeats"]?.int == seats.filter { $0["state"]?.string == "available" }.count)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await client.call(.get, path).json["availableSeats"]?.int == 80)
        }
    }

    @Test func anUnknownShowIsNotFoundEveryTime() async throws {
        let app = try await TestApp.make()
        try await app.test { (client) async throws in
            let path = "/shows/\(UUID())/seatmap"
            #expect(try await client.call(.get, path).status == .notFound)
            #expect(try await client.call(.get, path).status == .notFound)
        }
    }
}
