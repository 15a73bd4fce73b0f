import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct CheckInTests {
    func paid(_ fixture: Fixture, _ seats: [String], by user: String, code: String) async throws -> Order {
        let order = try await fixture.order(seats, by: user)
        let now = fixture.clock.now()
        let payment = try #require(try await fixture.stores.startPayment(
            Payment(orderId: order.orderId, userId: user, amount: order.amount, token: "tok", createdAt: now), now: now))
        return try await fixture.stores.settlePayment(payment.paymentId, result: .succeeded, ticketCode: { code }, now: now).1
    }

    @Test(arguments: StoreBackend.available)
    func aTicketGetsInOnceHoweverManyDoorsScanItAtOnce(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await paid(fixture, ["J1", "J2"], by: "alice", code: "BMS00000101")
            let now = fixture.clock.now()
            let outcomes = try await withThrowingTaskGroup(of: Result<CheckIn, HoldfastError>.self) { group in
                for door in 1...16 {
                    group.addTask {
                        do { return .success(try await fixture.stores.checkIn(ticketCode: "BMS00000101", by: "usher-\(door)", door: "D\(door)", now: now)) }
                        catch let error as HoldfastError { return .failure(error) }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let admitted = outcomes.compactMap { try? $0.get() }
            #expect(admitted.count == 1, "exactly one door lets the ticket in")
            #expect(admitted.first?.orderId == order.orderId && admitted.first?.seatIds == ["J1", "J2"])
            let refusals = outcomes.compactMap { if case .failure(let error) = $0 { error.code } else { nil } }
            #expect(refusals.count == 15 && refusals.allSatisfy { $0 == "ALREADY_CHECKED_IN" })
            let door = try #require(admitted.first?.door)
            await #expect(performing: {
                try await fixture.stores.checkIn(ticketCode: "BMS00000101", by: "usher-x", door: nil, now: now.addingTimeInterval(60))
            }, throws: { ($0 as? HoldfastError)?.message.contains("at door \(door)") == true })
            let events = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString).map(\.type)
            #expect(events.filter { $0 == "TicketCheckedIn" }.count == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func unknownCancelledAndUnpaidTicketsAreRefusedClearly(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let cancelled = try await paid(fixture, ["A9"], by: "alice", code: "BMS00000102")
            _ = try await fixture.booking.cancelOrder(cancelled.orderId, userId: "alice")
            let now = fixture.clock.now()
            await #expect(performing: { try await fixture.stores.checkIn(ticketCode: "BMS00000102", by: "u", door: nil, now: now) },
                          throws: { code(of: $0) == "TICKET_NOT_VALID" && ($0 as? HoldfastError)?.message.contains("CANCELLED") == true })
            await #expect(performing: { try await fixture.stores.checkIn(ticketCode: "BMS99999999", by: "u", door: nil, now: now) },
                          throws: { code(of: $0) == "TICKET_NOT_FOUND" })
        }
    }
}
