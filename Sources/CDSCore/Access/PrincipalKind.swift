/// Who can act on the system: staff users (bearer tokens), partner apps (API keys) and provincial
/// sync clients (client certificates).
public enum PrincipalKind: String, CaseIterable, Codable, Hashable, Sendable {
    case staff
    case partnerApp = "partner_app"
    case syncClient = "sync_client"
}
