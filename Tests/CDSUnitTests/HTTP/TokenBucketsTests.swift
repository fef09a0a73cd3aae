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

    /// A look before a credential is checked costs nothing: it neither takes a request nor leaves a bucket, so the
    /// addresses of every authenticated request do not fill the table of failures.
    @Test func waitingNeitherTakesNorRemembers() {
        let buckets = TokenBuckets(limit: RateLimit(perMinute: 1))  // a bucket of 10, refilled once a minute
        let start = ContinuousClock.now
        for index in 0..<1000 { #expect(buckets.wait(Data([UInt8(index % 256), UInt8(index / 256)]), now: start) == nil) }
        #expect(buckets.keyCount == 0)
        let key = Data([7])
        for _ in 0..<10 { #expect(buckets.take(key, now: start) == nil) }
        for _ in 0..<5 { #expect(buckets.wait(key, now: start).map { $0 > .seconds(50) } == true) }
        #expect(buckets.keyCount == 1)
    }

    /// Past 100,000 keys the full buckets are dropped: a client making up keys cannot grow the table for ever.
    @Test func fullBucketsAreForgottenWhenTheTableIsLarge() {
        let buckets = TokenBuckets(limit: RateLimit(perMinute: 600))  // refilled from empty within 6 s
        let start = ContinuousClock.now
        for index in 0...100_000 { _ = buckets.take(withUnsafeBytes(of: UInt32(index)) { Data($0) }, now: start) }
        #expect(buckets.keyCount == 100_001)
        _ = buckets.take(Data([1, 2, 3, 4, 5]), now: start + .seconds(7))
        #expect(buckets.keyCount == 1)
    }
}
