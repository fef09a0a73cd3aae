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

/// The buckets of every key seen (a token's SHA-256, never the token itself; a partner's id; a client address).
package final class TokenBuckets: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant

        /// The bucket as it stands at `now`, refilled for the time since it was last used.
        func refilled(at now: ContinuousClock.Instant, _ limit: RateLimit) -> Bucket {
            let elapsed = now - updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return Bucket(tokens: min(limit.capacity, tokens + seconds * limit.refillPerSecond), updated: now)
        }
    }

    private struct Table {
        var buckets: [Data: Bucket] = [:]
        /// Past this many buckets, the full ones are dropped; then the bound doubles over what is left, so that keys a
        /// client makes up (fresh addresses) cost a sweep now and then, never one a request.
        var sweepAbove = TokenBuckets.smallestSweep
    }

    private static let smallestSweep = 100_000

    package let limit: RateLimit
    private let table = Mutex(Table())

    package init(limit: RateLimit) {
        self.limit = limit
    }

    /// Takes one request from the key's bucket: nil when it may go ahead, else how long until it may.
    package func take(_ key: Data, now: ContinuousClock.Instant = .now) -> Duration? {
        table.withLock { table in
            if table.buckets.count > table.sweepAbove { Self.forgetFull(&table, limit: limit, now: now) }
            var bucket = (table.buckets[key] ?? Bucket(tokens: limit.capacity, updated: now)).refilled(at: now, limit)
            defer { table.buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return .seconds((1 - bucket.tokens) / limit.refillPerSecond) }
            bucket.tokens -= 1
            return nil
        }
    }

    /// How long until the key's bucket holds a request, without taking one; nil when it holds one now. A key never
    /// taken from leaves no bucket behind.
    package func wait(_ key: Data, now: ContinuousClock.Instant = .now) -> Duration? {
        let bucket = table.withLock { $0.buckets[key] }?.refilled(at: now, limit)
        guard let bucket, bucket.tokens < 1 else { return nil }
        return .seconds((1 - bucket.tokens) / limit.refillPerSecond)
    }

    /// How many keys have a bucket.
    package var keyCount: Int { table.withLock { $0.buckets.count } }

    /// A full bucket is the same as none: dropped, so that many keys seen once do not grow the table for ever.
    private static func forgetFull(_ table: inout Table, limit: RateLimit, now: ContinuousClock.Instant) {
        let refill = Duration.seconds(limit.capacity / limit.refillPerSecond)
        table.buckets = table.buckets.filter { now - $0.value.updated < refill }
        table.sweepAbove = max(smallestSweep, 2 * table.buckets.count)
    }
}

extension Duration {
    /// Whole seconds, rounded up, at least 1: what `Retry-After` says.
    package var retryAfterSeconds: Int {
        max(1, Int(components.seconds) + (components.attoseconds > 0 ? 1 : 0))
    }
}
