import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/v1/grants`: roles on units. A caller grants only to an account it manages, only a role whose permissions it
/// holds on the unit, with `users.manage` there, and only at the role's level; it revokes only what it could grant.
struct GrantsController: Sendable {
    struct NewGrant: JSONRequestBody {
        static let fields: Set<String> = ["user_id", "role", "unit_code"]

        let userID: UUID
        let role: String
        let unitCode: String
    }

    let controlPlane: ControlPlane

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("grants", use: list)
        group.post("grants", use: create)
        group.delete("grants/{id}", use: delete)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Wire.Grant> {
        let caller = try context.requireCaller(holding: .usersManage)
        let query = request.uri.queryParameters
        let user = try query["user"].map { try RequestInput.uuid($0, field: "user") }
        let unit = try RequestInput.unitCode(query["unit"], field: "unit")
        let grants = try await controlPlane.staffAccounts().filter(caller.sees).flatMap { account in
            account.grants.map { Wire.Grant(id: $0.id, userID: account.id, role: $0.role, unitCode: String($0.unitCode)) }
        }
        return .init(items: grants.filter { (user == nil || $0.userID == user) && (unit == nil || $0.unitCode == unit) })
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Wire.Grant> {
        let caller = try context.requireCaller(holding: .usersManage)
        let body = try await JSONBody.decode(NewGrant.self, from: request)
        let unitCode = try RequestInput.nationalUnitCode(body.unitCode, field: "unit_code", known: caller.policy)
        guard let account = try await controlPlane.staffAccount(id: body.userID), caller.sees(account) else {
            throw ProblemDetails.notFound("no user has the id \(body.userID)")
        }
        guard caller.manages(account) else {
            throw ProblemDetails.forbidden("you may grant roles only to accounts whose home and grants lie where you hold users.manage")
        }
        guard caller.policy.mayGrant(role: body.role, on: unitCode) else {
            throw ProblemDetails.forbidden("you may grant only a role you hold, on a unit within your subtree, with users.manage there")
        }
        try await ProblemDetails.controlPlane(field: "unit_code") {
            try await controlPlane.grant(
                role: body.role,
                unitCode: unitCode,
                to: account.id,
                grantedBy: caller.principal.id,
                actor: caller.actor
            )
        }
        let granted = try await controlPlane.staffAccount(id: account.id)?.grants
            .first { $0.role == body.role && $0.unitCode == unitCode }
        guard let granted else { throw ProblemDetails.notFound("the grant vanished") }
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/grants/\(granted.id.uuidString.lowercased())"],
            response: Wire.Grant(id: granted.id, userID: account.id, role: granted.role, unitCode: String(granted.unitCode))
        )
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let account = try await controlPlane.staffAccount(holdingGrant: id)
        guard let account, caller.sees(account), let grant = account.grants.first(where: { $0.id == id }),
            caller.policy.permitsSomewhere(.usersManage)
        else {
            throw ProblemDetails.notFound("no grant has the id \(id)")
        }
        guard caller.manages(account) else {
            throw ProblemDetails.forbidden("you may revoke grants only of accounts whose home and grants lie where you hold users.manage")
        }
        // Nobody locks themselves out: another administrator revokes an administrator's grant.
        guard account.id != caller.principal.id else {
            throw ProblemDetails.conflict("you cannot revoke your own grant; ask another administrator")
        }
        guard caller.policy.mayGrant(role: grant.role, on: grant.unitCode) else {
            throw ProblemDetails.forbidden("you may revoke only grants you could give")
        }
        try await controlPlane.revokeGrant(id: id, actor: caller.actor)
        return Response(status: .noContent)
    }
}
