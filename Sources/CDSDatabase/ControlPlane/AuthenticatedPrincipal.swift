import CDSCore
import Foundation

/// A caller whose credential was accepted, with its grants.
public struct AuthenticatedPrincipal: Hashable, Sendable {
    public let id: UUID
    /// The credential it presented: what the tokens it issues are issued with.
    public let credential: UUID
    public let name: String
    public let kind: PrincipalKind
    public let grants: [AccessPolicy.Grant]

    /// The actor that the audit log records for this principal's writes.
    public var auditActor: AuditActor {
        AuditActor(kind: kind == .staff ? "user" : kind.rawValue, name: name)
    }
}
