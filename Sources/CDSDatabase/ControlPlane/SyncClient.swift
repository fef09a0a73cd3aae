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
    public let status: Status

    /// The fingerprint of a certificate: the SHA-256 of its DER encoding.
    public static func fingerprint(der: some Sequence<UInt8>) -> Data {
        Data(SHA256.hash(data: Array(der)))
    }

    /// Whether it may push to and pull from `district`.
    public func reaches(_ district: TenantID) -> Bool {
        districts?.contains(district) ?? true
    }

    /// The actor that the audit log records for its writes.
    public var auditActor: AuditActor {
        AuditActor(kind: "sync", name: name)
    }
}
