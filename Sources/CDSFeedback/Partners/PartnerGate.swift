import CDSAdminAPI
import CDSDatabase
import Foundation
import Synchronization

/// Lets a partner app in by its API key: known, active, and within its requests per minute.
public final class PartnerGate: Sendable {
    /// Why a partner is not let in.
    public enum Refusal: Error, Hashable, Sendable {
        /// No key, or one no active partner app holds.
        case unknownKey
        /// Over its rate; may try again after this many seconds.
        case tooManyRequests(retryAfter: Int)
    }

    private let controlPlane: ControlPlane
    /// One set of buckets per rate, each keyed by the partner's id.
    private let buckets = Mutex<[Int: TokenBuckets]>([:])

    public init(controlPlane: ControlPlane) {
        self.controlPlane = controlPlane
    }

    /// The partner app holding `apiKey`, noted on the request as its principal.
    public func admit(apiKey: String?, noting note: RequestNote) async throws -> PartnerApp {
        guard let apiKey, apiKey.hasPrefix(ControlPlane.partnerKeyPrefix),
            let partner = try await controlPlane.partnerApp(apiKey: apiKey), partner.status == .active
        else { throw Refusal.unknownKey }
        note.identify(principal: "\(partner.auditActor)", tenant: nil)
        let bucket = buckets.withLock { buckets in
            if let bucket = buckets[partner.requestsPerMinute] { return bucket }
            let bucket = TokenBuckets(limit: RateLimit(perMinute: partner.requestsPerMinute))
            buckets[partner.requestsPerMinute] = bucket
            return bucket
        }
        if let wait = bucket.take(withUnsafeBytes(of: partner.id.uuid) { Data($0) }) {
            throw Refusal.tooManyRequests(retryAfter: max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0)))
        }
        return partner
    }
}
