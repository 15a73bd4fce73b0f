import Foundation
import HoldfastCore
@testable import HoldfastSQLite
import HoldfastStore
import HoldfastWorkers
import Testing

@Suite struct PaymentServiceTests {
    @Test func aWebhookForASettledPaymentChangesNothingAndTakesNoWrite() async throws {
        let fixture = try await WorkerFixture.make()
        let hold = try await fixture.booking.createHold(showId: fixture.show.showId, seatIds: ["G1"], quantity: nil, userId: "gus")
        let order = try await fixture.booking.createOrder(
            holdId: hold.holdId, customer: Customer(name: "Gus", email: "gus@example.com", phone: "9876543210"), userId: "gus")
        let payments = PaymentService(
            stores: fixture.stores, gateway: SimulatedGateway(), clock: fixture.clock, timeout: .seconds(5), webhookSecret: "a-secret-of-sixteen+")
        guard case .confirmed(let paid, let payment?) = try await payments.pay(orderId: order.orderId, userId: "gus", token: SimulatedGateway.success)
        else {
            Issue.record("the simulated gateway pays tok_success at once")
            return
        }
        let writes = fixture.stores.commits.transactionCount
        let (replayed, booked) = try await payments.settle(paymentId: payment.paymentId, result: .declined(reason: "contradicting replay"))
        #expect(replayed.status == .succeeded && booked.status == .confirmed && booked.ticketCode == paid.ticketCode)
        #expect(fixture.stores.commits.transactionCount == writes, "a replay is answered from reads")
        await #expect(throws: HoldfastError.self) { try await payments.settle(paymentId: UUID(), result: .succeeded) }
    }
}
