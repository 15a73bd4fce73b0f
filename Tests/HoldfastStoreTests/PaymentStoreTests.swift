import Foundation
import HoldfastCore
import HoldfastStore
import Testing

@Suite struct PaymentStoreTests {
    static func attempt(_ order: Order, token: String = "tok", at time: Date) -> Payment {
        Payment(orderId: order.orderId, userId: order.userId, amount: order.amount, token: token, createdAt: time)
    }

    @Test(arguments: StoreBackend.available)
    func aPaymentSettlesOnceAndConfirmsTheOrder(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["A1", "A2"], by: "alice")
            let now = fixture.clock.now()
            let declined = try #require(try await fixture.stores.startPayment(Self.attempt(order, at: now), now: now))
            let (afterDecline, stillPending) = try await fixture.stores.settlePayment(declined.paymentId, result: .declined(reason: "no funds"), ticketCode: { "BMS00000001" }, now: now)
            #expect(afterDecline.status == .declined && afterDecline.failureReason == "no funds" && stillPending.status == .paymentPending)

            let paid = try #require(try await fixture.stores.startPayment(Self.attempt(order, at: now), now: now))
            let (settled, confirmed) = try await fixture.stores.settlePayment(paid.paymentId, result: .succeeded, ticketCode: { "BMS00000002" }, now: now)
            #expect(settled.status == .succeeded && confirmed.status == .confirmed && confirmed.ticketCode == "BMS00000002")
            // Settling again, even with another verdict, changes nothing.
            let (again, same) = try await fixture.stores.settlePayment(paid.paymentId, result: .declined(reason: "late"), ticketCode: { "BMS00000003" }, now: now)
            #expect(again.status == .succeeded && same.ticketCode == "BMS00000002")
            #expect(try await fixture.stores.startPayment(Self.attempt(order, at: now), now: now) == nil, "nothing left to pay")
            #expect(try await fixture.liveClaims().values.allSatisfy { $0.stage == .booked })
            let types = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString).map(\.type)
            #expect(types == ["OrderCreated", "PaymentInitiated", "PaymentDeclined", "PaymentInitiated", "PaymentSucceeded", "OrderConfirmed"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func aLateSuccessLeavesTheExpiredOrderAndItsSeatsAlone(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["B1"], by: "alice")
            let payment = try #require(try await fixture.stores.startPayment(Self.attempt(order, at: fixture.clock.now()), now: fixture.clock.now()))
            fixture.clock.advance(by: 300)
            _ = try await fixture.hold(["B1"], by: "bob")
            let (settled, expired) = try await fixture.stores.settlePayment(payment.paymentId, result: .succeeded, ticketCode: { "BMS00000009" }, now: fixture.clock.now())
            #expect(settled.status == .succeeded && expired.status == .expired && expired.ticketCode == nil)
            #expect(try await fixture.liveClaims()["B1"]?.userId == "bob")
            await #expect(performing: {
                try await fixture.stores.startPayment(Self.attempt(order, at: fixture.clock.now()), now: fixture.clock.now())
            }, throws: { code(of: $0) == "ORDER_EXPIRED" })
        }
    }
}
