import CDSCore
import CDSDatabase
import CDSHTTP

/// The unit tree and the roles' permissions, which every access decision needs, read from the database
/// once a minute rather than on every request (both change only through operator commands).
struct AccessReference: Sendable {
    private struct Reference: Sendable {
        let hierarchy: UnitHierarchy
        let roles: [String: Set<Permission>]
    }

    private let cache: ReferenceCache<Reference>

    init(controlPlane: ControlPlane, maximumAge: Duration = .seconds(60)) {
        cache = ReferenceCache(maximumAge: maximumAge) {
            Reference(hierarchy: try await controlPlane.unitHierarchy(), roles: try await controlPlane.rolePermissions())
        }
    }

    func policy(for principal: AuthenticatedPrincipal) async throws -> AccessPolicy {
        let reference = try await cache.current()
        return AccessPolicy(grants: principal.grants, rolePermissions: reference.roles, hierarchy: reference.hierarchy)
    }
}
