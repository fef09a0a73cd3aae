import CDSCore
import Foundation
import PostgresNIO

/// An app that relays citizens' reports (`cds.partner_apps`), known by its API key.
public struct PartnerApp: Hashable, Sendable, NamedRegistration {
    public enum Status: String, CaseIterable, Sendable {
        case active, disabled
    }

    public let id: UUID
    public let name: String
    /// The districts whose reports it may submit and read; `nil`: every district.
    public let districts: Set<TenantID>?
    /// Where its reports' status changes are delivered; `nil`: nowhere.
    public let webhookURL: String?
    public let requestsPerMinute: Int
    public let status: Status
    /// Until when the webhook secret it last replaced still signs beside the new one; nil: no such window now.
    public let previousSecretSignsUntil: Date?

    /// Whether it may submit reports about, and read reports of, `district`.
    public func reaches(_ district: TenantID) -> Bool {
        districts?.contains(district) ?? true
    }

    /// The actor that the audit log records for its writes.
    public var auditActor: AuditActor {
        AuditActor(kind: "partner", name: name)
    }

    static let table = "cds.partner_apps"
    static let noun = "partner app"
    static let columns = """
        id, name, districts, webhook_url, requests_per_minute, status,
        CASE WHEN previous_webhook_secret_until > now() THEN previous_webhook_secret_until END
        """

    init(row: PostgresRow) throws {
        var cells = row.makeIterator()
        id = try cells.decode(UUID.self)
        name = try cells.decode(String.self)
        districts = try cells.decode([Int]?.self).map { Set($0.map { TenantID($0) }) }
        webhookURL = try cells.decode(String?.self)
        requestsPerMinute = try cells.decode(Int.self)
        status = Status(rawValue: try cells.decode(String.self)) ?? .disabled
        previousSecretSignsUntil = try cells.decode(Date?.self)
    }
}

/// What a partner app is given once, when it is registered or its key rotated: nothing stores them in clear but
/// the webhook secret, which signing needs.
public struct PartnerCredentials: Sendable {
    public let app: PartnerApp
    /// `cdsp_` and 43 base64url characters; stored as its SHA-256.
    public let apiKey: String
    /// Standard Webhooks' form: `whsec_` and the secret's base64; nil when only the key was rotated.
    public let webhookSecret: String?
}
