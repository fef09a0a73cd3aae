import Crypto
import Foundation

/// Standard Webhooks' signature (standardwebhooks.com): `v1,` and the base64 HMAC-SHA256, keyed with the
/// partner's secret, of `webhook-id.webhook-timestamp.body`. While a replaced secret still signs, the header carries
/// both signatures, separated by a space, and a receiver accepts the message when one of them verifies.
public enum WebhookSignature {
    public static func sign(id: String, timestamp: Int, body: Data, secret: Data) -> String {
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: secret))
        return "v1," + Data(mac).base64EncodedString()
    }
}
