import CDSCore
import CDSDatabase
import Foundation

/// The unit tree and the roles' permissions, which every access decision needs, read from the database
/// once a minute rather than on every request (both change only through operator commands).
actor AccessReference {
    private let controlPlane: ControlPlane
    private let maximumAge: Duration
    private var cached: (hierarchy: UnitHierarchy, roles: [String: Set<Permission>], at: ContinuousClock.Instant)?

    init(controlPlane: ControlPlane, maximumAge: Duration = .seconds(60)) {
        self.controlPlane = controlPlane
        self.maximumAge = maximumAge
    }

    func policy(for principal: AuthenticatedPrincipal) async throws -> AccessPolicy {
        let now = ContinuousClock.now
        if let cached, now - cached.at < maximumAge {
            return AccessPolicy(grants: principal.grants, rolePermissions: cached.roles, hierarchy: cached.hierarchy)
        }
        let fresh = (hierarchy: try await controlPlane.unitHierarchy(), roles: try await controlPlane.rolePermissions(), at: now)
        cached = fresh
        return AccessPolicy(grants: principal.grants, rolePermissions: fresh.roles, hierarchy: fresh.hierarchy)
    }
}
