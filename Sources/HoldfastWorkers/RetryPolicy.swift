import Foundation

/// Exponential backoff with jitter and a cap on attempts.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 8, baseDelay: TimeInterval = 1, maxDelay: TimeInterval = 600) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// When to try again after `attempts` failed attempts, or nil when that was the last one.
    /// `jitter` in 0..<1 spreads retries between half and all of the exponential delay.
    public func nextAttempt(after attempts: Int, now: Date, jitter: Double) -> Date? {
        guard attempts < maxAttempts else { return nil }
        let exponential = min(maxDelay, baseDelay * pow(2, Double(max(0, attempts - 1))))
        return now.addingTimeInterval(exponential * (0.5 + 0.5 * min(max(jitter, 0), 1)))
    }
}
