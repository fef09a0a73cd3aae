import CDSDatabase
import CDSHTTP
import Foundation
import Synchronization

/// Lets a partner app in by its API key: known, active, and within its requests per minute. An address that keeps
/// sending unknown keys is refused before its next look-up (``PublicTraffic``).
public final class PartnerGate: Sendable {
    /// Why a partner is not let in.
    public enum Refusal: Error, Hashable, Sendable {
        /// No key, or one no active partner app holds.
        case unknownKey
    }

    private let controlPlane: ControlPlane
    private let traffic: PublicTraffic
    /// One set of buckets per rate, each keyed by the partner's id.
    private let buckets = Mutex<[Int: TokenBuckets]>([:])

    public init(controlPlane: ControlPlane, traffic: PublicTraffic) {
        self.controlPlane = controlPlane
        self.traffic = traffic
    }

    /// The partner app holding `apiKey`, sent from `address`, noted on the request as its principal.
    /// - Throws: ``Refusal/unknownKey``, or a 429 problem when the partner is over its rate or `address` has sent too
    ///   many unknown keys lately.
    public func admit(apiKey: String?, from address: ClientAddress?, noting note: RequestNote) async throws -> PartnerApp {
        guard let apiKey, apiKey.hasPrefix(ControlPlane.partnerKeyPrefix) else { throw Refusal.unknownKey }
        try traffic.checkFailures(from: address)
        guard let partner = try await controlPlane.partnerApp(apiKey: apiKey), partner.status == .active else {
            traffic.recordFailure(from: address)
            throw Refusal.unknownKey
        }
        note.identify(principal: "\(partner.auditActor)", tenant: nil)
        let bucket = buckets.withLock { buckets in
            if let bucket = buckets[partner.requestsPerMinute] { return bucket }
            let bucket = TokenBuckets(limit: RateLimit(perMinute: partner.requestsPerMinute))
            buckets[partner.requestsPerMinute] = bucket
            return bucket
        }
        if let wait = bucket.take(withUnsafeBytes(of: partner.id.uuid) { Data($0) }) {
            throw ProblemDetails.tooManyRequests("this partner app is over its requests per minute", retryAfter: wait)
        }
        return partner
    }
}
