import HoldfastPostgres
import Testing

/// Settings out of range are refused at start, naming the variable, instead of running with a lane no write fits.
@Suite struct PostgresSettingsTests {
    static let url = "postgres://holdfast@127.0.0.1:5432/holdfast"

    @Test func aShowsWritesAndTheHoldsOneStatementWritesMustBeInRange() throws {
        #expect(throws: Never.self) { try PostgresSettings(url: Self.url, writesPerShow: 1, holdsPerStatement: 1).clientConfiguration() }
        #expect(throws: Never.self) { try PostgresSettings(url: Self.url, writesPerShow: 500, holdsPerStatement: 100).clientConfiguration() }
        for (writes, holds, variable) in [(0, 16, "DATABASE_WRITES_PER_SHOW"), (501, 16, "DATABASE_WRITES_PER_SHOW"),
            (3, 0, "DATABASE_HOLDS_PER_STATEMENT"), (3, 101, "DATABASE_HOLDS_PER_STATEMENT")]
        {
            #expect { try PostgresSettings(url: Self.url, writesPerShow: writes, holdsPerStatement: holds).clientConfiguration() } throws: {
                "\($0)".contains(variable)
            }
        }
    }
}
