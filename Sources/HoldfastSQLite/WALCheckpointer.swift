import GRDB
import HoldfastStore
import Logging
import Metrics

/// Copies the write-ahead log back into the database file on a connection and thread of its own, so the writer
/// never stops to do it: left to the writer (SQLite's automatic checkpoint after a commit), a checkpoint held
/// every write behind it, and took a tenth of the writer's time in `holdfast bench --scenario spread`.
/// Passive checkpoints wait for no one; the writer's own automatic checkpoint stays as the fallback for a store
/// whose checkpointer is not running.
struct WALCheckpointer: Sendable {
    let connection: DatabaseQueue
    let interval: Duration
    let logger = Logger(label: "holdfast.sqlite")

    init(path: String, interval: Duration) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "holdfast.checkpointer"
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
    }

    /// One passive checkpoint: the log's frames, and how many of them are now in the database file.
    func checkpoint() async throws -> (walFrameCount: Int, checkpointedFrameCount: Int) {
        try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }

    /// Checkpoints every `interval` until graceful shutdown (`WorkerLoop`: a failed checkpoint is logged, counted
    /// and tried again at the next round). The gauges show the log's size and what of it is not yet in the
    /// database file (a log that keeps growing means long reads hold the checkpoints back, or they fail).
    func run() async {
        let frames = Gauge(label: "holdfast_sqlite_wal_frames")
        let behind = Gauge(label: "holdfast_sqlite_wal_frames_not_checkpointed")
        let failures = Counter(label: "holdfast_sqlite_checkpoint_failures_total")
        await WorkerLoop.run("WAL checkpoint", logger: logger, every: interval) {
            do {
                let log = try await checkpoint()
                frames.record(max(0, log.walFrameCount))
                behind.record(max(0, log.walFrameCount - log.checkpointedFrameCount))
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                // The writer's own checkpoint was running (its fallback, once the log passes 10,000 pages).
            } catch {
                if !(error is CancellationError) { failures.increment() }
                throw error
            }
        }
    }
}
