import Foundation
import Logging
import PostgresNIO
import Testing

@testable import HoldfastPostgres

/// PostgreSQL plans prepared statements from the statistics of the moment: a table that outgrows its statistics is
/// analyzed again (and its statements planned again), one that changed less is left alone.
@Suite struct StatisticsKeeperTests {
    @Test func aTableThatOutgrewItsStatisticsIsAnalyzedAgain() async throws {
        try await Fixture.withPostgres { _, store in
            let logger = Logger(label: "test")
            try await store.client.withConnection { connection in
                // Autovacuum left out: only the store analyzes it.
                try await connection.execute("CREATE TABLE growing (n int) WITH (autovacuum_enabled = false)", logger)
                try await connection.execute("INSERT INTO growing SELECT generate_series(1, 100)", logger)
                try await connection.execute("ANALYZE growing", logger)
            }
            /// Adds rows and has PostgreSQL publish the table's change count before answering (it otherwise may wait).
            func grow(by rows: Int) async throws {
                try await store.client.withConnection { connection in
                    try await connection.execute("INSERT INTO growing SELECT generate_series(1, \(rows))", logger)
                    try await connection.execute("SELECT pg_stat_force_next_flush()", logger)
                }
            }
            /// The rows the statistics hold after a round, or — rounds going on — as soon as they hold `expected`
            /// (the store's own round may hold the lock that makes another skip).
            func known(expecting expected: Int? = nil) async throws -> Int {
                let until = ContinuousClock.now + .seconds(5)
                while true {
                    try await store.analyzeGrownTables()
                    let rows = try await Self.rowsKnown(store)
                    if expected == nil || rows == expected || ContinuousClock.now >= until { return rows }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            try await grow(by: 900)  // 900 changes: under the floor of 1,000
            #expect(try await known() == 100)
            try await grow(by: 200)  // 1,100 changes on 100 rows analyzed
            #expect(try await known(expecting: 1_200) == 1_200)
            try await grow(by: 1_100)  // 1,100 changes on 1,200: not yet twice the size
            #expect(try await known() == 1_200)
            try await grow(by: 200)
            #expect(try await known(expecting: 2_500) == 2_500)
        }
    }

    /// The rows PostgreSQL's statistics say the table holds.
    static func rowsKnown(_ store: PostgresStore) async throws -> Int {
        try await store.client.withConnection { connection in
            try await connection.rows("SELECT reltuples::int AS rows FROM pg_class WHERE relname = 'growing'", Logger(label: "test"))
                .first?.value("rows", as: Int.self) ?? -1
        }
    }
}
