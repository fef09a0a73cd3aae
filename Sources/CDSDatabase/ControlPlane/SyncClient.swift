import CDSCore
import Crypto
import Foundation

/// A provincial system registered to sync rosters (`cds.sync_clients`), known by its client certificate.
public struct SyncClient: Hashable, Sendable {
    public enum Status: String, CaseIterable, Sendable {
        case active, disabled
    }

    public let id: UUID
    public let name: String
    /// The SHA-256 of the certificate's DER encoding.
    public let certificateSHA256: Data
    /// The districts it may sync; `nil`: every district.
    public let districts: Set<TenantID>?
    /// The source systems it may push under; `nil`: every source (the development client only).
    public let sources: Set<String>?
    public let status: Status

    /// The fingerprint of a certificate: the SHA-256 of its DER encoding.
    public static func fingerprint(der: some Sequence<UInt8>) -> Data {
        Data(SHA256.hash(data: Array(der)))
    }

    /// Whether it may push to and pull from `district`.
    public func reaches(_ district: TenantID) -> Bool {
        districts?.contains(district) ?? true
    }

    /// Whether `name` may name a source system: what a push header may carry, and never `local` (the records that
    /// district staff make through the admin API, which no push takes over).
    public static func isSourceName(_ name: String) -> Bool {
        name.wholeMatch(of: /[a-z0-9][a-z0-9._-]{0,63}/) != nil && name != "local"
    }

    /// Whether it may push records under `source`.
    public func writes(_ source: String) -> Bool {
        sources?.contains(source) ?? true
    }

    /// The actor that the audit log records for its writes.
    public var auditActor: AuditActor {
        AuditActor(kind: "sync", name: name)
    }
}
