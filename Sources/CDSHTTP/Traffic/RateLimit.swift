import Foundation
import Synchronization

/// How many requests one key (a token, a partner, a client address) may make: a bucket that holds six seconds' worth
/// of requests (at least 10) and refills at `perMinute`. Over it, the answer is 429 with `Retry-After`. Per server
/// process: with several processes behind a balancer, each keeps its own buckets.
public struct RateLimit: Hashable, Sendable {
    public var perMinute: Int

    public init(perMinute: Int) {
        self.perMinute = perMinute
    }

    package var capacity: Double { max(10, Double(perMinute) / 10) }
    package var refillPerSecond: Double { Double(perMinute) / 60 }
}

/// The buckets of every token seen, keyed by the token's SHA-256 (never the token itself).
package final class TokenBuckets: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    package let limit: RateLimit
    private let buckets = Mutex<[Data: Bucket]>([:])

    package init(limit: RateLimit) {
        self.limit = limit
    }

    /// Takes one request from the key's bucket: nil when it may go ahead, else how long until it may.
    package func take(_ key: Data, now: ContinuousClock.Instant = .now) -> Duration? {
        withBucket(key, now: now) { bucket in
            guard bucket.tokens >= 1 else { return .seconds((1 - bucket.tokens) / limit.refillPerSecond) }
            bucket.tokens -= 1
            return nil
        }
    }

    /// How long until the key's bucket holds a request, without taking one; nil when it holds one now.
    package func wait(_ key: Data, now: ContinuousClock.Instant = .now) -> Duration? {
        withBucket(key, now: now) { bucket in
            bucket.tokens >= 1 ? nil : .seconds((1 - bucket.tokens) / limit.refillPerSecond)
        }
    }

    /// The key's bucket, refilled for the time since it was last used.
    private func withBucket(_ key: Data, now: ContinuousClock.Instant, _ body: (inout Bucket) -> Duration?) -> Duration? {
        buckets.withLock { buckets in
            if buckets.count > 100_000 { Self.forgetFull(&buckets, limit: limit, now: now) }
            var bucket = buckets[key] ?? Bucket(tokens: limit.capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(limit.capacity, bucket.tokens + seconds * limit.refillPerSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            return body(&bucket)
        }
    }

    /// A full bucket is the same as none: dropped, so that many tokens seen once do not grow the table for ever.
    private static func forgetFull(_ buckets: inout [Data: Bucket], limit: RateLimit, now: ContinuousClock.Instant) {
        let refill = Duration.seconds(limit.capacity / limit.refillPerSecond)
        buckets = buckets.filter { now - $0.value.updated < refill }
    }
}

extension Duration {
    /// Whole seconds, rounded up, at least 1: what `Retry-After` says.
    package var retryAfterSeconds: Int {
        max(1, Int(components.seconds) + (components.attoseconds > 0 ? 1 : 0))
    }
}
