import CDSCore
import Foundation
import PostgresNIO

extension ControlPlane {
    /// The partner app holding this API key, whatever its status; `nil` when none does.
    public func partnerApp(apiKey: String) async throws -> PartnerApp? {
        try await database.rows(of: PartnerKeyLookupStatement(apiKeySHA256: BearerToken.sha256(apiKey))).first
    }

    /// The partner app with this id, or `nil`.
    public func partnerApp(id: UUID) async throws -> PartnerApp? {
        try await registrations(PartnerApp.self, where: "id = \(id)").first
    }

    /// Every registered partner app, by name.
    public func partnerApps() async throws -> [PartnerApp] {
        try await registrations(PartnerApp.self, where: "true")
    }

    /// Registers a partner app with a new API key and webhook secret, returned once.
    /// - Parameters:
    ///   - districts: `nil` for every district.
    ///   - requestsPerMinute: its rate limit (a burst of a tenth of it, at least 10).
    /// - Throws: ``ControlPlaneError`` when the name is malformed or taken, or no district is given.
    public func registerPartnerApp(
        name: String,
        districts: Set<TenantID>?,
        webhookURL: String?,
        requestsPerMinute: Int = 120,
        actor: AuditActor
    ) async throws -> PartnerCredentials {
        guard requestsPerMinute > 0 else { throw ControlPlaneError(.invalid, "a partner app's rate must be at least one request a minute") }
        let codes = districts.map { $0.map { Int($0.rawValue) }.sorted() }
        let apiKey = BearerToken.generate(prefix: Self.partnerKeyPrefix)
        let secret = BearerToken.randomBytes(32)
        let app = try await register(
            PartnerApp.self,
            name: name,
            districts: districts,
            actor: actor,
            inserting: """
                (name, api_key_sha256, districts, webhook_url, webhook_secret, requests_per_minute)
                VALUES (\(name), \(BearerToken.sha256(apiKey)), \(codes), \(webhookURL), \(secret), \(requestsPerMinute))
                """
        )
        return PartnerCredentials(app: app, apiKey: apiKey, webhookSecret: "whsec_" + secret.base64EncodedString())
    }

    /// Gives a partner app a new API key; the old one stops working at once.
    /// - Throws: ``ControlPlaneError`` `.notFound` for an unknown name.
    public func rotatePartnerKey(name: String, actor: AuditActor) async throws -> PartnerCredentials {
        let apiKey = BearerToken.generate(prefix: Self.partnerKeyPrefix)
        let app = try await updateRegistration(
            PartnerApp.self,
            name: name,
            "SET api_key_sha256 = \(BearerToken.sha256(apiKey)), updated_at = now() WHERE name = \(name)",
            actor: actor
        )
        return PartnerCredentials(app: app, apiKey: apiKey, webhookSecret: nil)
    }

    /// Gives a partner app a new webhook secret, returned once. The secret it replaces keeps signing beside it for
    /// `overlap`, so that the partner's receiver can move to the new one without refusing a message; a second
    /// rotation within the window ends the first one's overlap.
    /// - Throws: ``ControlPlaneError`` `.notFound` for an unknown name, `.invalid` for an overlap beyond a week.
    /// - Returns: the app, and its new secret in Standard Webhooks' form (`whsec_` and the base64).
    public func rotatePartnerWebhookSecret(
        name: String,
        overlap: Duration,
        actor: AuditActor
    ) async throws -> (app: PartnerApp, webhookSecret: String) {
        guard overlap >= .zero && overlap <= Self.longestSecretOverlap else {
            throw ControlPlaneError(.invalid, "the old secret may keep signing for 0 to 168 hours")
        }
        let secret = BearerToken.randomBytes(32)
        let seconds = Int(overlap.components.seconds)
        let app = try await updateRegistration(
            PartnerApp.self,
            name: name,
            """
            SET previous_webhook_secret = CASE WHEN \(seconds) > 0 THEN webhook_secret END,
                previous_webhook_secret_until = CASE WHEN \(seconds) > 0 THEN now() + \(seconds) * interval '1 second' END,
                webhook_secret = \(secret), updated_at = now()
            WHERE name = \(name)
            """,
            actor: actor
        )
        return (app, "whsec_" + secret.base64EncodedString())
    }

    /// How long a replaced webhook secret may keep signing.
    public static let longestSecretOverlap = Duration.seconds(7 * 86400)

    /// Disables or re-enables a partner app: a disabled one is refused at its next request.
    /// - Throws: ``ControlPlaneError`` `.notFound` for an unknown name.
    @discardableResult
    public func setPartnerStatus(name: String, _ status: PartnerApp.Status, actor: AuditActor) async throws -> PartnerApp {
        try await setStatus(of: PartnerApp.self, name: name, status.rawValue, actor: actor)
    }

    /// The secret a partner's webhook messages are signed with.
    public func partnerWebhookSecret(id: UUID) async throws -> Data? {
        try await database.withConnection { connection in
            for try await secret in try await connection.query(
                "SELECT webhook_secret FROM cds.partner_apps WHERE id = \(id)",
                logger: database.logger
            ).decode(Data.self) {
                return secret
            }
            return nil
        }
    }

    /// Partner API keys look unlike staff tokens (`cds_`), so that a leaked one is recognised for what it is.
    public static let partnerKeyPrefix = "cdsp_"
}
