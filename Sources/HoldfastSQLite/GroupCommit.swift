import Foundation
import GRDB
import Synchronization

/// Writes that arrive while the writer is busy commit together: the caller that finds the writer idle leads,
/// running its own write and every write queued behind it in one IMMEDIATE transaction, each in its own
/// savepoint, and then commits once. A write that throws rolls back to its savepoint and fails alone; the
/// others commit. Nobody hears success before the commit that made their write durable, and if that commit
/// fails, every write of the batch fails. One transaction and one WAL commit per batch instead of per write.
///
/// Leadership passes on like a baton: a leader whose batch is done hands the queue that built up meanwhile
/// to one of its callers, so no task outlives its caller and nobody waits for a write that is not theirs
/// for longer than one batch.
final class GroupCommit: Sendable {
    /// Runs one caller's write on the batch's connection and keeps its result.
    typealias Work = @Sendable (Database) throws -> Void

    struct Job: Sendable {
        let work: Work
        let turn: CheckedContinuation<Turn, Never>
    }

    enum Turn: Sendable {
        /// Write these jobs with yours, then hand over.
        case lead(others: [Job])
        /// Your write committed (nil) or failed.
        case finished((any Error)?)
    }

    private struct Queue {
        var writing = false
        var jobs: [Job] = []
    }

    /// Writes in one transaction at most, so one batch never holds the queue behind it for long.
    static let batchLimit = 256

    private let pool: DatabasePool
    private let queue = Mutex(Queue())
    private let transactions = Atomic<Int>(0)

    /// Batches written so far (each one transaction).
    var transactionCount: Int { transactions.load(ordering: .relaxed) }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result = Mutex<T?>(nil)
        let work: Work = { db in
            let value = try body(db)
            result.withLock { $0 = value }
        }
        let turn: Turn = await withCheckedContinuation { continuation in
            let leads = queue.withLock { queue in
                guard queue.writing else {
                    queue.writing = true
                    return true
                }
                queue.jobs.append(Job(work: work, turn: continuation))
                return false
            }
            if leads { continuation.resume(returning: .lead(others: [])) }
        }
        switch turn {
        case .finished(let error):
            if let error { throw error }
        case .lead(let others):
            let outcomes = await commit([work] + others.map(\.work))
            for (job, outcome) in zip(others, outcomes.dropFirst()) { job.turn.resume(returning: .finished(outcome)) }
            handOver()
            if let error = outcomes[0] { throw error }
        }
        return result.withLock { $0! }
    }

    /// One transaction for all `works`; what each of them ends with (nil: committed). Runs to its end even when the
    /// leading caller's task is cancelled: the batch carries other callers' writes.
    private func commit(_ works: [Work]) async -> [(any Error)?] {
        transactions.add(1, ordering: .relaxed)
        return await withCheckedContinuation { continuation in
            pool.asyncWriteWithoutTransaction { db in
                var outcomes: [(any Error)?] = []
                do {
                    try db.inTransaction(.immediate) {
                        for work in works {
                            do {
                                try db.inSavepoint {
                                    try work(db)
                                    return .commit
                                }
                                outcomes.append(nil)
                            } catch {
                                // Some failures (a full disk, I/O) end the whole transaction: then nothing in it stands.
                                guard db.isInsideTransaction else { throw error }
                                outcomes.append(error)
                            }
                        }
                        return .commit
                    }
                    continuation.resume(returning: outcomes)
                } catch {
                    continuation.resume(returning: works.map { _ in error })
                }
            }
        }
    }

    /// Gives the writes that queued during the batch to one of their callers to lead, or marks the writer idle.
    private func handOver() {
        let next: [Job] = queue.withLock { queue in
            let next = Array(queue.jobs.prefix(Self.batchLimit))
            queue.jobs.removeFirst(next.count)
            queue.writing = !next.isEmpty
            return next
        }
        guard let leader = next.first else { return }
        leader.turn.resume(returning: .lead(others: Array(next.dropFirst())))
    }
}
