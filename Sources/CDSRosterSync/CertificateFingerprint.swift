import CDSDatabase
import Foundation
import X509

extension Certificate {
    /// The SHA-256 of the certificate's DER encoding: how a registered sync client is recognised.
    public func sha256Fingerprint() throws -> Data {
        SyncClient.fingerprint(der: try serializeAsPEM().derBytes)
    }
}
