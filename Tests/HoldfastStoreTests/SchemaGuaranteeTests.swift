import Foundation
import HoldfastCore
import HoldfastStore
import PostgresNIO
import Testing

@testable import HoldfastPostgres
@testable import HoldfastSQLite

/// What the schema itself guarantees, whatever the application code does.
@Suite struct SchemaGuaranteeTests {
    /// Runs raw SQL on the store's own database, bypassing every repository method.
    static func rawSQL(_ stores: any HoldfastStores, _ sql: String) async throws {
        switch stores {
        case let sqlite as SQLiteStore:
            try await sqlite.pool.write { db in try db.execute(sql: sql) }
        case let postgres as PostgresStore:
            try await postgres.client.query(PostgresQuery(unsafeSQL: sql), logger: postgres.logger)
        default:
            Issue.record("unknown store type \(type(of: stores))")
        }
    }

    @Test(arguments: StoreBackend.available)
    func aBookedSeatCannotBeReassignedOrDuplicated(_ backend: StoreBackend) async throws {
        try await Fixture.with(backend) { fixture in
            let order = try await fixture.order(["A1"], by: "alice")
            _ = try await fixture.booking.confirmPayment(orderId: order.orderId, userId: "alice")
            // SQLite keeps instants as epoch milliseconds, PostgreSQL as timestamptz.
            let farFuture = backend == .sqlite ? "32503680000000" : "'3000-01-01T00:00:00Z'"
            await #expect(throws: (any Error).self) {
                try await Self.rawSQL(fixture.stores, "UPDATE seat_claims SET user_id = 'mallory' WHERE seat_id = 'A1'")
            }
            await #expect(throws: (any Error).self) {
                try await Self.rawSQL(
                    fixture.stores,
                    """
                    INSERT INTO seat_claims (show_id, seat_id, user_id, stage, hold_id, expires_at)
                    VALUES ('\(fixture.show.showId.uuidString)', 'A1', 'mallory', 'HELD', '\(UUID().uuidString)', \(farFuture))
                    """)
            }
            let claims = try await fixture.liveClaims()
            #expect(claims["A1"]?.userId == "alice" && claims["A1"]?.stage == .booked)
        }
    }

    @Test(arguments: StoreBackend.available)
    func instancesStartingTogetherMigrateOnce(_ backend: StoreBackend) async throws {
        try await backend.withSharedStores(count: 4, migrated: false) { stores in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores { group.addTask { try await store.migrate() } }
                try await group.waitForAll()
            }
            for store in stores { try await store.migrate() }  // and again: nothing left to do
            #expect(try await stores[0].hasMovies() == false)
        }
    }

    @Test(arguments: StoreBackend.available)
    func aSetupStepIsClaimedByExactlyOneCaller(_ backend: StoreBackend) async throws {
        try await backend.withSharedStores(count: 4) { stores in
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<16 { group.addTask { try await stores[index % 4].claimSetupStep("demo_catalog", now: Date()) } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
        }
    }

    @Test func migrationPlanRefusesAForeignHistory() throws {
        #expect(try MigrationPlan.pending(known: ["1", "2", "3"], applied: ["1"]) == ["2", "3"])
        #expect(try MigrationPlan.pending(known: ["1", "2"], applied: ["1", "2"]).isEmpty)
        #expect(throws: MigrationError.self) { try MigrationPlan.pending(known: ["1", "2"], applied: ["1", "2", "3"]) }
        #expect(throws: MigrationError.self) { try MigrationPlan.pending(known: ["1", "2"], applied: ["2"]) }
    }
}
