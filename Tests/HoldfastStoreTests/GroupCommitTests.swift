import Foundation
import GRDB
@testable import HoldfastSQLite
import Testing

/// The embedded store's writes that arrive together share a transaction, yet each stays atomic on its own.
@Suite struct GroupCommitTests {
    struct Refused: Error {}

    @Test func writesArrivingTogetherShareTransactionsAndAFailingOneRollsBackAlone() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("holdfast-commit-\(UUID().uuidString).sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.write { db in try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)") }
        let before = store.commits.transactionCount
        let writes = 300
        // Every 5th write inserts its row and then fails; every 7th inserts a row another write also inserts.
        let answers = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            for index in 0..<writes {
                group.addTask {
                    do {
                        let answer = try await store.write { db -> Int in
                            try db.execute(sql: "INSERT INTO t (k, v) VALUES (?, ?)", arguments: [index, "w\(index)"])
                            if index % 5 == 0 { throw Refused() }
                            if index % 7 == 0 { try db.execute(sql: "INSERT INTO t (k, v) VALUES (?, 'twice')", arguments: [10_000 + index % 3]) }
                            return index * 2
                        }
                        return (index, .success(answer))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            return await group.reduce(into: [Int: Result<Int, any Error>]()) { $0[$1.0] = $1.1 }
        }
        let rows = try await store.read { db in try Int.fetchSet(db, sql: "SELECT k FROM t WHERE k < 10000") }
        let twice = try await store.read { db in try Int.fetchAll(db, sql: "SELECT k FROM t WHERE k >= 10000 ORDER BY k") }
        var committed = Set<Int>()
        for (index, answer) in answers {
            switch answer {
            case .success(let value):
                #expect(value == index * 2)
                committed.insert(index)
            case .failure(let error):
                #expect(index % 5 == 0 || index % 7 == 0, "write \(index) failed: \(error)")
            }
        }
        #expect(rows == committed, "a write's rows exist exactly when it answered success")
        let plain = (0..<writes).filter { $0 % 5 != 0 && $0 % 7 != 0 }
        let racers = committed.filter { $0 % 7 == 0 }
        #expect(answers.count == writes && committed == Set(plain).union(racers))
        #expect(racers.count == 3 && Set(racers.map { $0 % 3 }).count == 3, "one write per contested row committed")
        #expect(twice == [10_000, 10_001, 10_002])
        #expect(store.commits.transactionCount - before < writes, "writes that arrived together shared transactions")
        #expect(try await store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test func aCancelledCallerLeadingABatchDoesNotFailTheWritesItCarries() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("holdfast-commit-\(UUID().uuidString).sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.write { db in try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY)") }
        // The writer is busy, so the next two writes queue; the first of them will lead the next batch.
        let busy = Task { try await store.write { _ in usleep(200_000) } }
        try await Task.sleep(for: .milliseconds(50))
        let leader = Task { try await store.write { db in try db.execute(sql: "INSERT INTO t (k) VALUES (1)") } }
        try await Task.sleep(for: .milliseconds(20))
        let carried = Task { try await store.write { db in try db.execute(sql: "INSERT INTO t (k) VALUES (2)") } }
        try await Task.sleep(for: .milliseconds(20))
        leader.cancel()
        try await busy.value
        await #expect(throws: Never.self) { try await carried.value }
        _ = try? await leader.value
        #expect(try await store.read { db in try Int.fetchAll(db, sql: "SELECT k FROM t ORDER BY k") } == [1, 2])
    }
}
