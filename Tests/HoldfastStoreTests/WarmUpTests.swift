import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO
import Testing

@testable import HoldfastPostgres

/// Warming a store up (on PostgreSQL: its statements tried out on every connection, rolled back) writes nothing,
/// and the statements it prepared then sell seats as always.
@Suite struct WarmUpTests {
    @Test(arguments: StoreBackend.available)
    func aWarmedUpStoreHasWrittenNothingAndSellsAsBefore(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            await fixture.stores.warmUp()
            await fixture.stores.warmUp()  // again: on connections that have the statements already
            let template = ShapeTemplates.hold
            #expect(try await fixture.stores.seatClaims(showId: template.showId).isEmpty)
            #expect(try await fixture.stores.events(aggregateType: "hold", aggregateId: template.holdId.uuidString).isEmpty)
            #expect(try await fixture.stores.events(aggregateType: "order", aggregateId: ShapeTemplates.order.orderId.uuidString).isEmpty)
            #expect(try await fixture.liveClaims().isEmpty)

            let order = try await fixture.order(["A1", "A2"], by: "alice")
            let now = fixture.clock.now()
            let attempt = Payment(orderId: order.orderId, userId: order.userId, amount: order.amount, token: "tok_success", createdAt: now)
            let payment = try #require(try await fixture.stores.startPayment(attempt, now: now))
            let (settled, confirmed) = try await fixture.stores.settlePayment(payment.paymentId, result: .succeeded, ticketCode: { "HF-WARM1" }, now: now)
            #expect(settled.status == .succeeded && confirmed.status == .confirmed)
            #expect(try await fixture.liveClaims().mapValues(\.stage) == ["A1": .booked, "A2": .booked])
        }
    }

    /// What the warm-up prepares is what the first rush runs: the server's connections keep one generic plan per
    /// prepared statement from its first execution instead of planning the first five for their values.
    @Test func theServersConnectionsPlanPreparedStatementsOnce() async throws {
        guard PostgresTestDatabase.serverURL != nil else { return }
        try await PostgresTestDatabase.withFreshDatabase { configuration in
            let client = PostgresClient(configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let rows = try await client.query("SELECT current_setting('plan_cache_mode') AS mode", logger: PostgresTestDatabase.logger)
                var modes: [String] = []
                for try await mode in rows.decode(String.self) { modes.append(mode) }
                #expect(modes == ["force_generic_plan"])
            }
        }
    }
}
