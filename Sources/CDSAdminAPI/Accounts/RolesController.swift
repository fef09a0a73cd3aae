import CDSDatabase
import CDSHTTP
import CDSWire
import Hummingbird

/// `GET /v1/roles` and `GET /v1/roles/{name}`: the roles and the permissions each gives; any staff member may read
/// them, to know what a grant means.
struct RolesController: Sendable {
    typealias Role = Wire.Role

    let controlPlane: ControlPlane

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("roles", use: list)
        group.get("roles/{name}", use: show)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Role> {
        _ = try context.requireCaller()
        return Page(items: try await controlPlane.roles().map(Role.init))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Role {
        _ = try context.requireCaller()
        let name = context.parameters.get("name") ?? ""
        guard let role = try await controlPlane.roles().first(where: { $0.name == name }) else {
            throw ProblemDetails.notFound("there is no role '\(name.prefix(64))': GET /v1/roles lists them")
        }
        return Role(role)
    }
}

extension Wire.Role {
    init(_ record: RoleRecord) {
        self.init(
            name: record.name,
            description: record.description,
            builtIn: record.builtIn,
            level: record.level.rawValue,
            permissions: record.permissions
        )
    }
}
