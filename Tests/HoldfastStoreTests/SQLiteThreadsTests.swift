import Foundation
import GRDB
import Synchronization
@testable import HoldfastSQLite
import Testing

/// Where the embedded store's work runs: reads on the asking thread, scans on GRDB's readers, the log's
/// checkpoints on a connection of their own.
@Suite struct SQLiteThreadsTests {
    static func store(checkpointInterval: Duration = .milliseconds(100)) throws -> (SQLiteStore, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("holdfast-threads-\(UUID().uuidString).sqlite").path
        return (try SQLiteStore(path: path, checkpointInterval: checkpointInterval), path)
    }

    @Test(.timeLimit(.minutes(1)))
    func readsAndScansFarMoreThanTheReadersAllFinish() async throws {
        let (store, _) = try Self.store()
        try await store.write { db in
            try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            for k in 0..<2_000 { try db.execute(sql: "INSERT INTO t (k, v) VALUES (?, ?)", arguments: [k, "v\(k)"]) }
        }
        // Scans hold readers while they run (20 ms each); reads on the test's few threads wait for a free one meanwhile.
        // A scan that needed one of those threads to give its reader back would hang here (GRDB's async read does).
        let totals = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<400 {
                if index % 4 == 0 {
                    group.addTask {
                        try await store.scan { db in
                            usleep(20_000)
                            return try Int.fetchOne(db, sql: "SELECT SUM(k) FROM t")!
                        }
                    }
                } else {
                    group.addTask { try await store.read { db in try Int.fetchOne(db, sql: "SELECT k FROM t WHERE k = ?", arguments: [index])! } }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(totals.count == 400)
        #expect(totals.filter { $0 == 1_999_000 }.count == 100, "every scan saw the whole table")
    }

    @Test func readsGoOnWhileScansAreStuck() async throws {
        let (store, _) = try Self.store()
        try await store.write { db in try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY)") }
        let stuck = DispatchSemaphore(value: 0)
        let seen = ScansSeen()
        let scans = 20
        let scanning = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<scans {
                    group.addTask {
                        try await store.scan { _ in
                            let now = seen.running.add(1, ordering: .relaxed).newValue
                            seen.mostAtOnce.max(now, ordering: .relaxed)
                            stuck.wait()
                            seen.running.subtract(1, ordering: .relaxed)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        while seen.running.load(ordering: .relaxed) < SQLiteStore.concurrentScans { try await Task.sleep(for: .milliseconds(5)) }
        // Were the scans to take every reader, the reads below would block their threads until this lets them go.
        DispatchQueue.global().asyncAfter(deadline: .now() + 10) {
            seen.released.store(true, ordering: .relaxed)
            for _ in 0..<scans { stuck.signal() }
        }
        for k in 0..<50 { #expect(try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t WHERE k = ?", arguments: [k]) } == 0) }
        let waited = seen.released.load(ordering: .relaxed)
        #expect(!waited, "reads waited for the stuck scans")
        if !waited { for _ in 0..<scans { stuck.signal() } }
        try await scanning.value
        let most = seen.mostAtOnce.load(ordering: .relaxed)
        #expect(most == SQLiteStore.concurrentScans)
    }

    @Test func aReadSeesEveryWriteThatAnsweredBeforeIt() async throws {
        let (store, _) = try Self.store()
        try await store.write { db in try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY)") }
        for k in 0..<50 {
            try await store.write { db in try db.execute(sql: "INSERT INTO t (k) VALUES (?)", arguments: [k]) }
            #expect(try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == k + 1)
            #expect(try await store.scan { db in try Int.fetchOne(db, sql: "SELECT MAX(k) FROM t") } == k)
        }
    }

    @Test func theRunningStoreCopiesItsLogIntoTheDatabaseFile() async throws {
        let (store, path) = try Self.store(checkpointInterval: .milliseconds(20))
        try await store.write { db in try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)") }
        // About 4 MB in the log: under the writer's own checkpoint threshold, so only the checkpointer copies it.
        for batch in 0..<8 {
            try await store.write { db in
                for k in 0..<128 { try db.execute(sql: "INSERT INTO t (k, v) VALUES (?, zeroblob(4000))", arguments: [batch * 128 + k]) }
            }
        }
        let before = try Self.size(path)
        #expect(before < 1_000_000, "the rows are still only in the log")
        let running = Task { await store.run() }
        defer { running.cancel() }
        let deadline = ContinuousClock.now + .seconds(10)
        while try Self.size(path) < 4_000_000, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try Self.size(path) >= 4_000_000, "the checkpointer copied the log back")
        #expect(try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 1_024)
        #expect(try await store.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")
    }

    final class ScansSeen: Sendable {
        let running = Atomic<Int>(0)
        let mostAtOnce = Atomic<Int>(0)
        /// The stuck scans were let go by the timer, not by the test.
        let released = Atomic<Bool>(false)
    }

    static func size(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
