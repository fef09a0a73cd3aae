import Crypto
import Foundation

/// Secrets handed to callers: staff bearer tokens and partner API keys.
///
/// 256 random bits, shown once, stored only as their SHA-256. The `cds_` prefix lets secret scanners and
/// people recognise a leaked token.
public enum BearerToken {
    public static let prefix = "cds_"

    /// A new token: `prefix` (`cds_` unless told) and 43 base64url characters.
    public static func generate(prefix: String = prefix) -> String {
        let encoded = randomBytes(32).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }

    /// `count` bytes from the system's secure random source.
    public static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// What is stored and looked up: the SHA-256 of the token's UTF-8 bytes.
    public static func sha256(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }
}
