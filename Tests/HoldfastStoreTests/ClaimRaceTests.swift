import Foundation
import HoldfastCore
import HoldfastStore
import Testing

/// Real races: many tasks at the same seats of one show, then the invariants checked from the store.
@Suite struct ClaimRaceTests {
    enum Outcome: Sendable {
        case held(Hold)
        case refused(seats: [String], conflicting: [String])
    }

    /// 2-4 side-by-side seats somewhere in the first four rows, so requests overlap heavily.
    static func block(for task: Int) -> [String] {
        var generator = SplitMix(seed: UInt64(task) &* 0x9E37_79B9)
        let row = ["A", "B", "C", "D"][Int.random(in: 0..<4, using: &generator)]
        let size = Int.random(in: 2...4, using: &generator)
        let start = Int.random(in: 1...(11 - size), using: &generator)
        return (start..<(start + size)).map { "\(row)\($0)" }
    }

    @Test(arguments: StoreBackend.available)
    func overlappingHoldsNeverShareASeat(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for task in 0..<240 {
                    group.addTask {
                        let seats = Self.block(for: task)
                        do {
                            return .held(try await fixture.hold(seats, by: "user-\(task)"))
                        } catch let error as HoldfastError where error.code == "SEATS_UNAVAILABLE" {
                            return .refused(seats: seats, conflicting: error.seatIds)
                        }
                    }
                }
                return try await group.reduce(into: [Outcome]()) { $0.append($1) }
            }
            let holds = outcomes.compactMap { if case .held(let hold) = $0 { hold } else { nil } }
            #expect(!holds.isEmpty)
            #expect(holds.count < 240, "with four rows of ten seats most requests must lose")

            let claims = try await fixture.liveClaims()
            var owner: [String: String] = [:]
            for hold in holds {
                for seat in hold.seatIds {
                    #expect(owner[seat] == nil, "seat \(seat) is in two holds")
                    owner[seat] = hold.userId
                    #expect(claims[seat]?.userId == hold.userId, "hold of \(hold.userId) does not own \(seat)")
                }
            }
            #expect(Set(claims.keys) == Set(owner.keys), "a failed hold left a claim behind")
            for case .refused(let seats, let conflicting) in outcomes {
                #expect(!conflicting.isEmpty && Set(conflicting).isSubset(of: Set(seats)))
                #expect(conflicting.allSatisfy { owner[$0] != nil }, "a refusal named a seat nobody holds")
            }
        }
    }

    /// Hold, order and pay through several independent store handles on one database.
    @Test(arguments: StoreBackend.available)
    func wholePurchasesRaceThroughSeveralConnections(_ backend: StoreBackend) async throws {
        try await backend.withSharedStores(count: 4) { handles in
            try await Fixture.with(backend, sharing: handles[0]) { fixture in
                let services = handles.map { BookingService(stores: $0, clock: fixture.clock, policy: BookingPolicy()) }
                let confirmed = try await withThrowingTaskGroup(of: Order?.self) { group in
                    for task in 0..<200 {
                        group.addTask {
                            let booking = services[task % services.count]
                            let user = "buyer-\(task)"
                            do {
                                let hold = try await booking.createHold(
                                    showId: fixture.show.showId, seatIds: Self.block(for: task), quantity: nil, userId: user)
                                let order = try await booking.createOrder(holdId: hold.holdId, customer: Fixture.customer, userId: user)
                                return try await booking.confirmPayment(orderId: order.orderId, userId: user)
                            } catch let error as HoldfastError where error.code == "SEATS_UNAVAILABLE" {
                                return nil
                            }
                        }
                    }
                    return try await group.reduce(into: [Order]()) { if let order = $1 { $0.append(order) } }
                }
                #expect(!confirmed.isEmpty)
                let claims = try await fixture.liveClaims()
                var soldTo: [String: String] = [:]
                for order in confirmed {
                    #expect(order.status == .confirmed && order.ticketCode != nil)
                    for seat in order.seatIds {
                        #expect(soldTo[seat] == nil, "seat \(seat) sold twice")
                        soldTo[seat] = order.userId
                        #expect(claims[seat]?.stage == .booked && claims[seat]?.userId == order.userId)
                    }
                }
                #expect(Set(claims.keys) == Set(soldTo.keys))
                #expect(Set(confirmed.compactMap(\.ticketCode)).count == confirmed.count, "ticket codes must be unique")
            }
        }
    }
}

/// A small deterministic generator so every run races the same requests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
