import Foundation

/// Keeps the open internet from starving staff: public reads are counted per client address and run within their
/// share of the database; failed look-ups of a bearer token or an API key are counted per address too, and an address
/// over its count is refused before its next look-up costs the database anything. Authenticated callers are counted
/// by their own token or key instead (``RateLimit``), never by the address they share with others.
public final class PublicTraffic: Sendable {
    public let limits: PublicTrafficLimits
    private let requests: TokenBuckets?
    private let failures: TokenBuckets?
    package let reads: ConcurrencyShare

    public init(_ limits: PublicTrafficLimits) {
        self.limits = limits
        self.requests = limits.perAddress.map(TokenBuckets.init)
        self.failures = limits.failedLookups.map(TokenBuckets.init)
        // A waiting read holds no connection, only its request: many may wait, briefly, so that a burst is served.
        self.reads = ConcurrencyShare(permits: limits.databaseShare, queueLimit: limits.databaseShare * 32, patience: .seconds(2))
    }

    /// Counts a public request from `address`.
    /// - Throws: a 429 problem when the address is over its limit.
    package func admit(from address: ClientAddress?) throws(ProblemDetails) {
        guard let requests, let wait = requests.take(Self.key(address)) else { return }
        throw .tooManyRequests("an address may make \(requests.limit.perMinute) public requests a minute", retryAfter: wait)
    }

    /// Before a look-up of a token or key sent from `address`.
    /// - Throws: a 429 problem when the address has failed too many look-ups lately.
    package func checkFailures(from address: ClientAddress?) throws(ProblemDetails) {
        guard let failures, let wait = failures.wait(Self.key(address)) else { return }
        throw .tooManyRequests("too many unknown tokens or keys from this address", retryAfter: wait)
    }

    /// After a look-up that found no valid token or key.
    package func recordFailure(from address: ClientAddress?) {
        _ = failures?.take(Self.key(address))
    }

    /// Runs a public read within the share of the database public reads have.
    /// - Throws: a 503 problem, without running `body`, when the share stays taken for two seconds or too many wait.
    package func read<T>(_ body: () async throws -> T) async throws -> T {
        guard let answer = try await reads.withPermit(body) else {
            throw ProblemDetails.unavailable(
                "busy",
                title: "Busy",
                detail: "too many public reads at once; retry shortly",
                retryAfter: 1
            )
        }
        return answer
    }

    /// Requests whose address is unknown (no IP peer) share one count.
    private static func key(_ address: ClientAddress?) -> Data {
        address?.limitKey ?? Data()
    }
}
