import CDSCore
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `GET /v1/me`: who the caller is, its grants, the districts they reach and the permissions they give.
struct MeController: Sendable {
    typealias Me = Wire.Me

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("me") { _, context in
            let caller = try context.requireCaller()
            return Me(
                id: caller.principal.id,
                name: caller.principal.name,
                kind: caller.principal.kind.rawValue,
                grants: caller.principal.grants.map { .init(role: $0.role, unitCode: String($0.unitCode)) },
                districts: caller.policy.districts.map(\.rawValue).sorted(),
                permissions: Permission.allCases.filter { caller.policy.permitsSomewhere($0) }.map(\.rawValue)
            )
        }
    }
}
