import Crypto
import Foundation
import X509

extension Certificate {
    /// The SHA-256 of the certificate's DER encoding: how a registered sync client is recognised.
    public func sha256Fingerprint() throws -> Data {
        Data(SHA256.hash(data: try serializeAsPEM().derBytes))
    }
}
