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
            let (stillDeclined, _) = try await fixture.stores.settlePayment(declined.paymentId, result: .succeeded, ticketCode: { "BMS00000004" }, now: now)
            #expect(stillDeclined.status == .declined && stillDeclined.failureReason == "no funds")
            #expect(try await fixture.stores.startPayment(Self.attempt(order, at: now), now: now) == nil, "nothing left to pay")
            #expect(try await fixture.liveClaims().values.allSatisfy { $0.stage == .booked })
            let types = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString).map(\.type)
            #expect(types == ["OrderCreated", "PaymentInitiated", "PaymentDeclined", "PaymentInitiated", "PaymentSucceeded", "OrderConfirmed"])
        }
    }

    /// Settling what the caller just started gives what settling by id gives — also when what the caller knew is
    /// stale: the webhook settled the payment first, or the order lapsed and its seat went to someone else.
    @Test(arguments: StoreBackend.available)
    func aStartedPaymentSettlesLikeOneSettledById(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["C1", "C2"], by: "alice")
            let now = fixture.clock.now()
            let paid = try #require(try await fixture.stores.startPayment(Self.attempt(order, at: now), now: now))
            let (settled, confirmed) = try await fixture.stores.settleStartedPayment(
                paid, of: order, result: .succeeded, ticketCode: { "BMS00000021" }, now: now)
            #expect(settled.status == .succeeded && confirmed.status == .confirmed && confirmed.ticketCode == "BMS00000021")
            #expect(try await fixture.stores.order(order.orderId, userId: "alice").ticketCode == "BMS00000021")
            #expect(try await fixture.liveClaims().filter { $0.key.hasPrefix("C") }.values.allSatisfy { $0.stage == .booked })

            // The webhook came first: the caller's processing payment and pending order are stale.
            let second = try await fixture.order(["D1"], by: "bob")
            let started = try #require(try await fixture.stores.startPayment(Self.attempt(second, at: now), now: now))
            _ = try await fixture.stores.settlePayment(started.paymentId, result: .succeeded, ticketCode: { "BMS00000022" }, now: now)
            let (again, same) = try await fixture.stores.settleStartedPayment(
                started, of: second, result: .succeeded, ticketCode: { "BMS00000023" }, now: now)
            #expect(again.status == .succeeded && same.status == .confirmed && same.ticketCode == "BMS00000022")
            #expect(try await fixture.stores.refund(forPayment: started.paymentId) == nil)
            let types = try await fixture.stores.events(aggregateType: "order", aggregateId: second.orderId.uuidString).map(\.type)
            #expect(types == ["OrderCreated", "PaymentInitiated", "PaymentSucceeded", "OrderConfirmed"])

            // The order lapsed before the answer and its seat was taken: the money goes back.
            let third = try await fixture.order(["E1"], by: "carol")
            let late = try #require(try await fixture.stores.startPayment(Self.attempt(third, at: now), now: now))
            fixture.clock.advance(by: 300)
            _ = try await fixture.hold(["E1"], by: "dave")
            let (lateSettled, expired) = try await fixture.stores.settleStartedPayment(
                late, of: third, result: .succeeded, ticketCode: { "BMS00000024" }, now: fixture.clock.now())
            #expect(lateSettled.status == .succeeded && expired.status == .expired && expired.ticketCode == nil)
            #expect(try await fixture.liveClaims()["E1"]?.userId == "dave")
            #expect(try await fixture.stores.refund(forPayment: late.paymentId)?.reason == .seatsGone)
        }
    }

    /// The gateway's webhook and its direct answer (and retries of either) racing to settle one payment confirm the
    /// order once, with one ticket code that every answer names.
    @Test(arguments: StoreBackend.available)
    func racingSettlementsConfirmOnce(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["B1", "B2"], by: "alice")
            let now = fixture.clock.now()
            let paid = try #require(try await fixture.stores.startPayment(Self.attempt(order, at: now), now: now))
            let answers = try await withThrowingTaskGroup(of: (Payment, Order).self) { group in
                for attempt in 0..<10 {
                    group.addTask {
                        try await fixture.stores.settlePayment(paid.paymentId, result: .succeeded, ticketCode: { "BMS0000010\(attempt)" }, now: now)
                    }
                }
                return try await group.reduce(into: [(Payment, Order)]()) { $0.append($1) }
            }
            let codes = Set(answers.map { $0.1.ticketCode })
            #expect(codes.count == 1 && codes.first! != nil && answers.allSatisfy { $0.0.status == .succeeded && $0.1.status == .confirmed })
            let stored = try await fixture.stores.order(order.orderId, userId: "alice")
            #expect(stored.status == .confirmed && stored.ticketCode == codes.first!)
            let types = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString).map(\.type)
            #expect(types == ["OrderCreated", "PaymentInitiated", "PaymentSucceeded", "OrderConfirmed"])
            #expect(try await fixture.liveClaims().values.allSatisfy { $0.stage == .booked })
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
            let refund = try #require(try await fixture.stores.refund(forPayment: payment.paymentId), "the money goes back")
            #expect(refund.reason == .seatsGone && refund.status == .pending && refund.amount == order.amount && refund.userId == "alice")
            let types = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString).map(\.type)
            #expect(types.suffix(3) == ["PaymentSucceeded", "OrderExpired", "RefundRequested"])
            await #expect(performing: {
                try await fixture.stores.startPayment(Self.attempt(order, at: fixture.clock.now()), now: fixture.clock.now())
            }, throws: { code(of: $0) == "ORDER_EXPIRED" })
        }
    }

    @Test(arguments: StoreBackend.available)
    func aLateSuccessRebooksTheSameSeatsWhenTheyAreStillFree(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["C1", "C2"], by: "alice")
            let payment = try #require(try await fixture.stores.startPayment(Self.attempt(order, at: fixture.clock.now()), now: fixture.clock.now()))
            fixture.clock.advance(by: 301)
            _ = try await fixture.stores.expireDue(now: fixture.clock.now(), limit: 100)
            #expect(try await fixture.stores.order(order.orderId, userId: "alice").status == .expired)
            let (_, rebooked) = try await fixture.stores.settlePayment(payment.paymentId, result: .succeeded, ticketCode: { "BMS00000011" }, now: fixture.clock.now())
            #expect(rebooked.status == .confirmed && rebooked.ticketCode == "BMS00000011")
            #expect(try await fixture.stores.order(order.orderId, userId: "alice").status == .confirmed)
            let claims = try await fixture.liveClaims()
            #expect(claims["C1"]?.stage == .booked && claims["C2"]?.stage == .booked && claims["C1"]?.userId == "alice")
            #expect(try await fixture.stores.refund(forPayment: payment.paymentId) == nil, "nothing to refund")
            let types = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString).map(\.type)
            #expect(types.suffix(3) == ["OrderExpired", "PaymentSucceeded", "OrderConfirmed"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func aLateSuccessTakesAllTheSeatsOrNoneAndRefunds(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["D1", "D2", "D3"], by: "alice")
            let payment = try #require(try await fixture.stores.startPayment(Self.attempt(order, at: fixture.clock.now()), now: fixture.clock.now()))
            fixture.clock.advance(by: 301)
            _ = try await fixture.hold(["D2"], by: "bob")
            let (_, expired) = try await fixture.stores.settlePayment(payment.paymentId, result: .succeeded, ticketCode: { "BMS00000012" }, now: fixture.clock.now())
            #expect(expired.status == .expired)
            let claims = try await fixture.liveClaims()
            #expect(claims["D1"] == nil && claims["D3"] == nil && claims["D2"]?.userId == "bob", "the free seats were not kept either")
            #expect(try await fixture.stores.refund(forPayment: payment.paymentId)?.reason == .seatsGone)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aSecondPaymentForAPaidOrderIsRefunded(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["E1"], by: "alice")
            let now = fixture.clock.now()
            let first = try #require(try await fixture.stores.startPayment(Self.attempt(order, at: now), now: now))
            let second = try #require(try await fixture.stores.startPayment(Self.attempt(order, at: now), now: now), "two tabs, two payments")
            _ = try await fixture.stores.settlePayment(first.paymentId, result: .succeeded, ticketCode: { "BMS00000013" }, now: now)
            let (settled, still) = try await fixture.stores.settlePayment(second.paymentId, result: .succeeded, ticketCode: { "BMS00000014" }, now: now)
            #expect(settled.status == .succeeded && still.status == .confirmed && still.ticketCode == "BMS00000013")
            #expect(try await fixture.stores.refund(forPayment: second.paymentId)?.reason == .alreadyPaid)
            #expect(try await fixture.stores.refund(forPayment: first.paymentId) == nil)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aRefundIsLeasedRetriedFailedRetriedAndSettledOnce(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["F1"], by: "alice")
            let now = fixture.clock.now()
            let payment = try #require(try await fixture.stores.startPayment(Self.attempt(order, at: now), now: now))
            fixture.clock.advance(by: 301)
            _ = try await fixture.hold(["F1"], by: "bob")
            _ = try await fixture.stores.settlePayment(payment.paymentId, result: .succeeded, ticketCode: { "BMS00000015" }, now: fixture.clock.now())
            let t0 = fixture.clock.now()
            let claimed = try await fixture.stores.claimDueRefunds(limit: 10, now: t0, leaseUntil: t0.addingTimeInterval(60))
            #expect(claimed.count == 1 && claimed.first?.paymentId == payment.paymentId)
            #expect(try await fixture.stores.claimDueRefunds(limit: 10, now: t0, leaseUntil: t0.addingTimeInterval(60)).isEmpty, "leased")
            let refundId = try #require(claimed.first?.refundId)
            let retrying = try await fixture.stores.settleRefund(refundId, outcome: .failed(reason: "gateway down", retryAt: t0.addingTimeInterval(5)), now: t0)
            #expect(retrying.status == .pending && retrying.attempts == 1 && retrying.lastError == "gateway down")
            #expect(try await fixture.stores.claimDueRefunds(limit: 10, now: t0.addingTimeInterval(4), leaseUntil: t0.addingTimeInterval(64)).isEmpty)
            #expect(try await fixture.stores.claimDueRefunds(limit: 10, now: t0.addingTimeInterval(5), leaseUntil: t0.addingTimeInterval(65)).count == 1)
            let failed = try await fixture.stores.settleRefund(refundId, outcome: .failed(reason: "card closed", retryAt: nil), now: t0.addingTimeInterval(5))
            #expect(failed.status == .failed && failed.attempts == 2)
            #expect(try await fixture.stores.refunds(status: .failed, page: PageRequest(page: 1, pageSize: 10)).items.map(\.refundId) == [refundId])
            #expect(try await fixture.stores.claimDueRefunds(limit: 10, now: t0.addingTimeInterval(99), leaseUntil: t0.addingTimeInterval(199)).isEmpty)
            let again = try await fixture.stores.retryRefund(refundId, now: t0.addingTimeInterval(100))
            #expect(again.status == .pending)
            #expect(try await fixture.stores.claimDueRefunds(limit: 10, now: t0.addingTimeInterval(100), leaseUntil: t0.addingTimeInterval(160)).count == 1)
            let done = try await fixture.stores.settleRefund(refundId, outcome: .refunded, now: t0.addingTimeInterval(101))
            #expect(done.status == .succeeded && done.attempts == 3 && done.settledAt != nil)
            let replay = try await fixture.stores.settleRefund(refundId, outcome: .failed(reason: "late", retryAt: nil), now: t0.addingTimeInterval(102))
            #expect(replay.status == .succeeded && replay.attempts == 3, "settled once")
            let types = try await fixture.stores.events(aggregateType: "order", aggregateId: order.orderId.uuidString).map(\.type)
            #expect(types.filter { $0.hasPrefix("Refund") } == ["RefundRequested", "RefundFailed", "RefundSucceeded"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func theReconcilerFindsMoneyKeptForNothingAndPaymentsLeftHanging(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let reconciler = Reconciler(stores: fixture.stores, clock: fixture.clock)
            // A late payment from before refunds existed: SUCCEEDED, order EXPIRED, nothing owed on record.
            let late = try await fixture.order(["G1"], by: "alice")
            let payment = try #require(try await fixture.stores.startPayment(Self.attempt(late, at: fixture.clock.now()), now: fixture.clock.now()))
            let hanging = try await fixture.order(["G2"], by: "bob")
            _ = try await fixture.stores.startPayment(Self.attempt(hanging, at: fixture.clock.now()), now: fixture.clock.now())
            fixture.clock.advance(by: 301)
            _ = try await fixture.hold(["G1"], by: "carol")
            _ = try await fixture.stores.settlePayment(payment.paymentId, result: .succeeded, ticketCode: { "BMS00000201" }, now: fixture.clock.now())
            try await SchemaGuaranteeTests.rawSQL(fixture.stores, "DELETE FROM refunds WHERE payment_id = '\(backend == .sqlite ? payment.paymentId.uuidString : payment.paymentId.uuidString.lowercased())'")
            #expect(try await fixture.stores.refund(forPayment: payment.paymentId) == nil)
            fixture.clock.advance(by: 15 * 60)

            let healed = try await reconciler.run(heal: true)
            let byName = Dictionary(uniqueKeysWithValues: healed.checks.map { ($0.name, $0) })
            #expect(byName["payments: none kept without a confirmed order or a refund"].map { ($0.found, $0.fixed) } ?? (0, 0) == (1, 1))
            #expect(byName["payments: none still PROCESSING after 15 minutes"].map { ($0.found, $0.fixed) } ?? (0, 0) == (1, 0))
            #expect(try await fixture.stores.refund(forPayment: payment.paymentId)?.reason == .seatsGone, "the money is on its way back")
            let again = try await reconciler.run(heal: false)
            #expect(again.checks.first { $0.name.hasPrefix("payments: none kept") }?.found == 0)
        }
    }
}
