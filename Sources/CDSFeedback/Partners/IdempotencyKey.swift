import Crypto
import Foundation

/// A partner's `Idempotency-Key` for one request (draft-ietf-httpapi-idempotency-key-header): the key, scoped to
/// the partner, and the fingerprint of the request's body.
public struct IdempotencyKey: Hashable, Sendable {
    public let partner: UUID
    public let key: String
    /// SHA-256 of the body's bytes: the same key with another body is refused.
    public let fingerprint: Data

    /// Reads the header's value: a structured-field string (`"8e03…"`), or the bare token clients also send; 1 to 255
    /// printable ASCII characters. Nil when malformed.
    public init?(header: String, partner: UUID, body: Data) {
        var value = header.trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        guard (1...255).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\"") })
        else { return nil }
        self.partner = partner
        self.key = value
        self.fingerprint = Data(SHA256.hash(data: body))
    }
}

/// What a request with an idempotency key already used gets instead of being processed again.
public enum IdempotencyOutcome: Error, Sendable {
    /// The first request with the key is still being processed: 409.
    case inFlight
    /// The key came with another body: 422.
    case reusedWithOtherBody
    /// The first request's answer, stored: replayed as it was.
    case replay(status: Int, body: Data)
}
