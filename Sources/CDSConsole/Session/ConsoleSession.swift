import CDSHTTP
import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The session cookie and the form token derived from it.
///
/// The cookie is `HttpOnly` (no script reads it), `SameSite=Lax` (no other site's form sends it), `Path=/console`
/// and `Secure` whenever the request came over TLS (through a trusted proxy that says so). Every form carries a
/// CSRF token derived from the session's secret, which only the holder of the cookie can know.
enum ConsoleSession {
    static let cookieName = "cds_session"

    /// The session secret the request's cookie carries, if any.
    static func secret(of request: Request) -> String? {
        cookie(named: cookieName, in: request)
    }

    /// The value of the cookie `name` the request carries, if any.
    static func cookie(named name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == name, !parts[1].isEmpty { return parts[1] }
            }
        }
        return nil
    }

    /// The `Set-Cookie` value that keeps `secret` until `expiresAt`, or (nil) that ends the cookie.
    static func cookie(_ secret: String?, expiresAt: Date? = nil, secure: Bool) -> String {
        var attributes = ["\(cookieName)=\(secret ?? "")", "Path=/console", "HttpOnly", "SameSite=Lax"]
        if let expiresAt, secret != nil {
            attributes.append("Max-Age=\(max(0, Int(expiresAt.timeIntervalSinceNow)))")
        } else {
            attributes.append("Max-Age=0")
        }
        if secure { attributes.append("Secure") }
        return attributes.joined(separator: "; ")
    }

    /// The form token of a session: SHA-256 of the secret under a label of its own, base64url.
    static func csrfToken(for secret: String) -> String {
        let digest = SHA256.hash(data: Data("cds-console-csrf:\(secret)".utf8))
        return Data(digest).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether the request reached the server over TLS: a trusted proxy's `X-Forwarded-Proto: https`.
    static func cameOverTLS(_ request: Request, context: APIRequestContext, trustedProxies: TrustedProxies) -> Bool {
        guard let peer = ClientAddress(context.remoteAddress), trustedProxies.contains(peer) else { return false }
        return request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}
