import NIOCore
import NIOPosix
import ServiceLifecycle

/// A thread of the workers' own, as the executor their tasks prefer. The event loops are Swift concurrency's
/// executor for requests (`Entry.swift`), first come first served: a round of a hundred outbox deliveries started at
/// once queued every request behind it there. On a thread of their own the workers' bursts share the cores through
/// the kernel's scheduler instead (measured in issue 8: `spread` hold p99 ~90-100 → ~55-70 ms).
public final class WorkerThread: TaskExecutor, Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop

    public init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    /// Whether the caller is running on this thread.
    public var isCurrent: Bool { loop.inEventLoop }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }

    public func shutdown() async throws {
        try await group.shutdownGracefully()
    }
}

/// Runs `service` with its tasks, and their child tasks, preferring `thread`.
public struct OnWorkerThread: Service {
    let thread: WorkerThread
    let service: any Service

    public init(_ thread: WorkerThread, _ service: any Service) {
        self.thread = thread
        self.service = service
    }

    public func run() async throws {
        try await withTaskExecutorPreference(thread) { try await service.run() }
    }
}
