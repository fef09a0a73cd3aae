import CDSCore
import CDSDatabase
import CDSHTTP

/// The unit tree and the roles' permissions, which every access decision needs, read from the database
/// once a minute rather than on every request (both change only through operator commands), and afresh as soon as
/// the server's ``ControlPlaneCache`` hears of a change.
struct AccessReference: Sendable {
    private struct Reference: Sendable {
        let hierarchy: UnitHierarchy
        let roles: [String: Set<Permission>]
    }

    private let cache: ReferenceCache<Reference>

    init(controlPlane: ControlPlane, cache controlPlaneCache: ControlPlaneCache?, maximumAge: Duration = .seconds(60)) {
        let cache = ReferenceCache(maximumAge: maximumAge) {
            Reference(hierarchy: try await controlPlane.unitHierarchy(), roles: try await controlPlane.rolePermissions())
        }
        controlPlaneCache?.add(dependent: cache.invalidate)
        self.cache = cache
    }

    func policy(for principal: AuthenticatedPrincipal) async throws -> AccessPolicy {
        let reference = try await cache.current()
        return AccessPolicy(grants: principal.grants, rolePermissions: reference.roles, hierarchy: reference.hierarchy)
    }

    /// The caller `principal` is in the request `context`, with its policy and its audit actor.
    func caller(_ principal: AuthenticatedPrincipal, context: APIRequestContext) async throws -> Caller {
        Caller(
            principal: principal,
            policy: try await policy(for: principal),
            actor: principal.auditActor.serving(request: context.id, client: context.clientRequestID)
        )
    }
}
