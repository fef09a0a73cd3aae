import Foundation
import Testing

@testable import CDSHTTP

@Suite struct TokenBucketsTests {
    @Test func theBucketRefillsAtTheRateAndHoldsNoMoreThanItsCapacity() {
        let buckets = TokenBuckets(limit: RateLimit(perMinute: 600))  // 10 a second, a bucket of 60
        let key = Data([1, 2, 3])
        let start = ContinuousClock.now
        for _ in 0..<60 { #expect(buckets.take(key, now: start) == nil) }
        let wait = buckets.take(key, now: start)
        #expect(wait.map { $0 > .zero && $0 <= .milliseconds(100) } == true)
        #expect(buckets.take(key, now: start + .milliseconds(100)) == nil)
        #expect(buckets.take(key, now: start + .milliseconds(100)) != nil)
        // An hour idle fills the bucket to its capacity, not beyond.
        let later = start + .seconds(3600)
        for _ in 0..<60 { #expect(buckets.take(key, now: later) == nil) }
        #expect(buckets.take(key, now: later) != nil)
        #expect(buckets.take(Data([9]), now: later) == nil)
    }
}
