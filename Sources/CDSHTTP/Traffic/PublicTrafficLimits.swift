/// What clients without valid credentials may cost the server, per process (``PublicTraffic``).
public struct PublicTrafficLimits: Hashable, Sendable {
    /// `CDS_PUBLIC_RATE_LIMIT`: requests a minute per client address on the public routes (Open311's reads,
    /// `/readyz`); nil: no limit. Failed look-ups of a token or an API key get a tenth of it, at least one a minute.
    public var perAddress: RateLimit?
    /// `CDS_TRUSTED_PROXIES`: the proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: TrustedProxies
    /// How many public reads may use the database at once: a quarter of the pool by default, so that a flood of them
    /// leaves the rest to staff and partners.
    public var databaseShare: Int

    public init(perAddress: RateLimit? = RateLimit(perMinute: 300), trustedProxies: TrustedProxies = .none, databaseShare: Int = 5) {
        self.perAddress = perAddress
        self.trustedProxies = trustedProxies
        self.databaseShare = databaseShare
    }

    /// No limit at all: for tests of other things, and benchmarks.
    public static let unlimited = PublicTrafficLimits(perAddress: nil, databaseShare: 1000)

    package var failedLookups: RateLimit? {
        perAddress.map { RateLimit(perMinute: max(1, $0.perMinute / 10)) }
    }
}
