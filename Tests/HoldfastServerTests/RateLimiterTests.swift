import Foundation
@testable import HoldfastServer
import Testing

@Suite struct RateLimiterTests {
    @Test func aBucketRefillsAtItsRateUpToItsBurst() {
        let limiter = RateLimiter()
        let rule = RateLimiter.Rule(perSecond: 4, burst: 2)
        let start = Date(timeIntervalSince1970: 0)
        #expect(limiter.take("k", rule: rule, now: start) == nil && limiter.take("k", rule: rule, now: start) == nil)
        #expect(limiter.take("k", rule: rule, now: start) == 0.25, "one token is a quarter second away")
        #expect(limiter.take("k", rule: rule, now: start.addingTimeInterval(0.25)) == nil)
        // A long pause earns no more than the burst.
        let later = start.addingTimeInterval(100)
        #expect(limiter.take("k", rule: rule, now: later) == nil && limiter.take("k", rule: rule, now: later) == nil)
        #expect(limiter.take("k", rule: rule, now: later) != nil)
    }

    @Test func bucketsThatFilledUpAreForgotten() {
        let limiter = RateLimiter(pruneAbove: 100)
        let rule = RateLimiter.Rule(perSecond: 1, burst: 5)
        let start = Date(timeIntervalSince1970: 0)
        for caller in 0..<100 { _ = limiter.take("caller-\(caller)", rule: rule, now: start) }
        #expect(limiter.trackedKeys == 100)
        _ = limiter.take("newcomer", rule: rule, now: start.addingTimeInterval(10))
        #expect(limiter.trackedKeys == 1, "only the caller of the last seconds is remembered")
    }
}
