import Foundation
import HoldfastCore
import HoldfastStore
import Logging
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
            #expect(try await fixture.stores.mailbox(page: PageRequest()).total == 0)

            let order = try await fixture.order(["A1", "A2"], by: "alice")
            let now = fixture.clock.now()
            let attempt = Payment(orderId: order.orderId, userId: order.userId, amount: order.amount, token: "tok_success", createdAt: now)
            let payment = try #require(try await fixture.stores.startPayment(attempt, now: now))
            let (settled, confirmed) = try await fixture.stores.settlePayment(payment.paymentId, result: .succeeded, ticketCode: { "HF-WARM1" }, now: now)
            #expect(settled.status == .succeeded && confirmed.status == .confirmed)
            #expect(try await fixture.liveClaims().mapValues(\.stage) == ["A1": .booked, "A2": .booked])
        }
    }

    /// PostgreSQL plans a prepared statement's first five runs for their values and only then may keep one plan for
    /// all: the warm-up takes every connection's prepared statements through those five, so the first rush runs
    /// them on the generic plan.
    @Test func warmedUpConnectionsRunTheirPreparedStatementsOnOnePlan() async throws {
        try await Fixture.withPostgres { _, store in
            await store.warmUp()
            // The dispatcher's lease is planned for its values every time (see `PostgresStore.leasing`): neither the
            // warm-up nor a lease leaves it prepared on a connection.
            _ = try await store.claimDeliveries(limit: 10, owner: "test", now: Date(), leaseUntil: Date().addingTimeInterval(30))
            let writes = [
                "FirstHold", "FirstHolds", "StoredOrder", "BookedOrder", "StoredPayment", "SettledPayment", "UnfannedEvents",
                "FannedOutDeliveries", "FannedOutEvents", "CompletedDeliveries", "KeptMail",
            ]
            let reads = ["SeatMapCheck", "HoldWithShow", "OwnedOrder", "PaymentById", "PaymentWithOrder", "OrderWithDetails", "Webhooks"]
            for (pool, shapes) in [(store.client, writes), (store.readers, reads)] {
                try await pool.withConnection { connection in
                    // (A connection the warm-up met twice — its tasks wait only so long for each other — ran them again: most
                    // generically, but PostgreSQL may keep planning a statement for its values when its generic plan looks
                    // dearer, as FannedOutEvents did on a machine running three test runs at once.)
                    let plans = try await Self.plans(on: connection)
                    #expect(Set(plans.keys) == Set(shapes.map { "holdfast_" + $0 }))
                    // (A statement without parameters has nothing to plan for: PostgreSQL runs it generically from the first.)
                    let parameterless = ["holdfast_Webhooks"]
                    #expect(plans.filter { !parameterless.contains($0.key) }.values.allSatisfy { $0.custom >= PostgresStore.customPlans }, "\(plans)")
                    #expect(plans.filter { parameterless.contains($0.key) }.values.allSatisfy { $0.custom == 0 && $0.generic > 0 })
                }
            }
            try await store.readers.withConnection { connection in
                let before = try #require(try await Self.plans(on: connection)["holdfast_SeatMapCheck"])
                _ = try await connection.rows(PostgresStore.SeatMapCheck.template, preparedAs: PostgresStore.SeatMapCheck.self, store.logger)
                let after = try await Self.plans(on: connection)["holdfast_SeatMapCheck"]
                #expect(after?.custom == PostgresStore.customPlans && after?.generic == before.generic + 1)
            }
        }
    }

    /// The connection's prepared statements by name: how many runs each planned for their values and generically.
    static func plans(on connection: PostgresConnection) async throws -> [String: (custom: Int, generic: Int)] {
        var plans: [String: (custom: Int, generic: Int)] = [:]
        for row in try await connection.rows("SELECT name, custom_plans, generic_plans FROM pg_prepared_statements", Logger(label: "test")) {
            plans[try row.value("name")] = (try row.value("custom_plans"), try row.value("generic_plans"))
        }
        return plans
    }
}
