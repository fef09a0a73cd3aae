import CDSCore
import CDSDatabase

/// An authenticated principal with its access policy.
public struct Caller: Sendable {
    public let principal: AuthenticatedPrincipal
    public let policy: AccessPolicy
    /// The principal as the audit log records it, with the id of the request it is making.
    public let actor: AuditActor

    package init(principal: AuthenticatedPrincipal, policy: AccessPolicy, actor: AuditActor) {
        self.principal = principal
        self.policy = policy
        self.actor = actor
    }

    /// The tenant scope of this caller's transactions: every district its grants reach.
    public var scope: TenantScope { TenantScope(policy.districts) }
}
