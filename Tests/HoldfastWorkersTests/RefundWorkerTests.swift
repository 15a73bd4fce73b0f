import Foundation
import HoldfastCore
import HoldfastStore
import HoldfastWorkers
import Logging
import Synchronization
import Testing

/// A gateway whose refunds fail `failures` times before they go through.
final class FlakyRefunds: PaymentGateway {
    let failures: Int
    let calls = Mutex<[UUID]>([])

    init(failures: Int) { self.failures = failures }

    func validate(token: String) throws {}
    func charge(_ payment: Payment) async throws -> PaymentResult { .succeeded }
    func eventualResult(of payment: Payment) -> PaymentResult { .succeeded }
    func refund(_ refund: Refund) async throws {
        let attempt = calls.withLock { calls in
            calls.append(refund.refundId)
            return calls.count
        }
        if attempt <= failures { throw GatewayRefused() }
    }

    struct GatewayRefused: Error, CustomStringConvertible {
        var description: String { "the gateway refused the refund" }
    }
}

@Suite struct RefundWorkerTests {
    /// Alice's payment arrives after her order lapsed and Bob took the seat: a refund is due.
    func refundDue(_ fixture: WorkerFixture) async throws -> Order {
        let hold = try await fixture.booking.createHold(showId: fixture.show.showId, seatIds: ["H1"], quantity: nil, userId: "alice")
        let order = try await fixture.booking.createOrder(
            holdId: hold.holdId, customer: Customer(name: "Asha", email: "asha@example.com", phone: "9876543210"), userId: "alice")
        let now = fixture.clock.now()
        let payment = try #require(try await fixture.stores.startPayment(
            Payment(orderId: order.orderId, userId: "alice", amount: order.amount, token: "tok", createdAt: now), now: now))
        fixture.clock.advance(by: 301)
        _ = try await fixture.booking.createHold(showId: fixture.show.showId, seatIds: ["H1"], quantity: nil, userId: "bob")
        _ = try await fixture.stores.settlePayment(payment.paymentId, result: .succeeded, ticketCode: { "BMS00000077" }, now: fixture.clock.now())
        return order
    }

    func worker(_ fixture: WorkerFixture, _ gateway: FlakyRefunds, attempts: Int) -> RefundWorker {
        RefundWorker(
            stores: fixture.stores, gateway: gateway, clock: fixture.clock, retry: RetryPolicy(maxAttempts: attempts, baseDelay: 1, maxDelay: 60),
            logger: Logger(label: "test"))
    }

    func mails(_ fixture: WorkerFixture) async throws -> [MailMessage] {
        let notifier = Notifier(stores: fixture.stores, sender: DevMailbox(store: fixture.stores), clock: fixture.clock)
        let dispatcher = fixture.dispatcher(subscribers: [notifier])
        while try await dispatcher.tick() > 0 {}
        return try await fixture.stores.mailbox(page: PageRequest(page: 1, pageSize: 50)).items
    }

    @Test func aRefundIsRetriedUntilTheGatewayTakesItAndTheCustomerIsTold() async throws {
        let fixture = try await WorkerFixture.make()
        let order = try await refundDue(fixture)
        let gateway = FlakyRefunds(failures: 2)
        let worker = worker(fixture, gateway, attempts: 5)
        #expect(try await worker.tick().map(\.status) == [.pending])
        #expect(try await worker.tick().isEmpty, "not due again before its retry time")
        fixture.clock.advance(by: 2)
        #expect(try await worker.tick().map(\.status) == [.pending])
        fixture.clock.advance(by: 4)
        let done = try await worker.tick()
        #expect(done.map(\.status) == [.succeeded] && done.first?.attempts == 3)
        #expect(Set(gateway.calls.withLock { $0 }).count == 1, "one refund, asked three times under one idempotency key")
        fixture.clock.advance(by: 600)
        #expect(try await worker.tick().isEmpty)
        let mail = try await mails(fixture).filter { $0.subject.contains("refunded") }
        #expect(mail.count == 1 && mail.first?.recipient == "asha@example.com" && mail.first?.body.contains(order.orderId.uuidString) == true)
    }

    @Test func aRefundThatKeepsFailingWaitsForAnAdminWhoRetriesIt() async throws {
        let fixture = try await WorkerFixture.make()
        _ = try await refundDue(fixture)
        let worker = worker(fixture, FlakyRefunds(failures: 2), attempts: 2)
        _ = try await worker.tick()
        fixture.clock.advance(by: 2)
        let failed = try await worker.tick()
        #expect(failed.map(\.status) == [.failed] && failed.first?.lastError == "the gateway refused the refund")
        #expect(try await fixture.stores.refunds(status: .failed, page: PageRequest(page: 1, pageSize: 10)).total == 1)
        #expect(try await mails(fixture).contains { $0.subject.contains("We are refunding") && $0.body.contains("our team has been alerted") })
        let refundId = try #require(failed.first?.refundId)
        _ = try await fixture.stores.retryRefund(refundId, now: fixture.clock.now())
        #expect(try await worker.tick().map(\.status) == [.succeeded])
    }
}
