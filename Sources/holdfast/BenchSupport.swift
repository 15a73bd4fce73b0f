import Foundation
import Logging

/// A benchmark's store: a fresh SQLite file in the temporary folder, unless `--database-url` names PostgreSQL.
struct ScratchStore {
    let settings: Settings
    let backend: Backend
    private let path: String?

    init(_ options: StoreOptions, logger: (Settings) -> Logger) throws {
        var settings = try Settings(overrides: options.overrides())
        var path: String?
        if settings.postgres == nil {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("holdfast-bench-\(UUID().uuidString).sqlite").path
            settings.databasePath = path!
        }
        self.settings = settings
        self.path = path
        self.backend = try Backend(settings, logger: logger(settings))
    }

    /// Removes the SQLite file and its journal files (a PostgreSQL database is left as it is).
    func remove() {
        guard let path else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// Benchmarks print their own progress; only warnings from the libraries.
/// (It takes the settings so that it can stand where `makeLogger` does.)
func benchLogger(_: Settings? = nil) -> Logger {
    var logger = Logger(label: "bench")
    logger.logLevel = .warning
    return logger
}

/// The port a benchmark's own server listens on, once it does.
actor BoundPort {
    private var port: Int?

    func set(_ port: Int) { self.port = port }

    func value() async throws -> Int {
        while port == nil { try await Task.sleep(for: .milliseconds(10)) }
        return port!
    }
}

enum LatencyReport {
    /// "p50 … p95 … p99 … max …" of latencies in seconds, printed in milliseconds.
    static func line(_ seconds: [Double]) -> String {
        let sorted = seconds.sorted()
        func percentile(_ p: Double) -> String {
            String(format: "%.1f ms", sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))] * 1_000)
        }
        return "p50 \(percentile(0.50))  p95 \(percentile(0.95))  p99 \(percentile(0.99))  max \(percentile(1.0))"
    }
}
