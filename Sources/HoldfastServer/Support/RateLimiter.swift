import Foundation
import Synchronization

/// Token buckets by key: each key may spend `burst` requests at once and earns `perSecond` back.
/// Buckets that have filled up again are forgotten, so memory follows the callers of the last seconds.
final class RateLimiter: Sendable {
    struct Rule: Sendable, Equatable {
        var perSecond: Double
        var burst: Double

        init(perSecond: Double, burst: Double? = nil) {
            self.perSecond = perSecond
            self.burst = burst ?? perSecond * 2
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let pruneAbove: Int

    init(pruneAbove: Int = 50_000) {
        self.pruneAbove = pruneAbove
    }

    /// Takes one token for `key`; nil when the request may go ahead, else the seconds until it may.
    func take(_ key: String, rule: Rule, now: Date) -> TimeInterval? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: rule.burst, updated: now)
            let earned = max(0, now.timeIntervalSince(bucket.updated)) * rule.perSecond
            bucket.tokens = min(rule.burst, bucket.tokens + earned)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return (1 - bucket.tokens) / rule.perSecond
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            if buckets.count > pruneAbove { Self.prune(&buckets, rule: rule, now: now) }
            return nil
        }
    }

    var trackedKeys: Int { buckets.withLock { $0.count } }

    private static func prune(_ buckets: inout [String: Bucket], rule: Rule, now: Date) {
        buckets = buckets.filter { _, bucket in
            bucket.tokens + now.timeIntervalSince(bucket.updated) * rule.perSecond < rule.burst
        }
    }
}
