import HoldfastWorkers
import ServiceLifecycle
import Synchronization
import Testing

@Suite struct WorkerThreadTests {
    /// Records whether each step of its run happened on the worker thread.
    struct Probe: Service {
        let thread: WorkerThread
        let seen: @Sendable (Bool) -> Void

        func run() async throws {
            seen(thread.isCurrent)
            try await Task.sleep(for: .milliseconds(5))
            seen(thread.isCurrent)
            await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 { group.addTask { thread.isCurrent } }
                for await onThread in group { seen(onThread) }
            }
        }
    }

    @Test func aWorkerAndItsChildTasksRunOnTheWorkerThread() async throws {
        let thread = WorkerThread()
        let seen = Seen()
        #expect(!thread.isCurrent)
        try await OnWorkerThread(thread, Probe(thread: thread, seen: seen.add)).run()
        #expect(seen.all == Array(repeating: true, count: 6))
        // Run without it, the same steps are elsewhere: the probe can tell.
        let elsewhere = Seen()
        try await Probe(thread: thread, seen: elsewhere.add).run()
        #expect(elsewhere.all == Array(repeating: false, count: 6))
        try await thread.shutdown()
    }
}

final class Seen: Sendable {
    private let values = Mutex<[Bool]>([])
    var all: [Bool] { values.withLock { $0 } }
    func add(_ value: Bool) { values.withLock { $0.append(value) } }
}
