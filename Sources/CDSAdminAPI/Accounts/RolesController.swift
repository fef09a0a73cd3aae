import CDSDatabase
import CDSHTTP
import Hummingbird

/// `GET /v1/roles` and `GET /v1/roles/{name}`: the roles and the permissions each gives; any staff member may read
/// them, to know what a grant means.
struct RolesController: Sendable {
    struct Role: ResponseEncodable, Sendable {
        let name: String
        let description: String
        let builtIn: Bool
        let level: String
        let permissions: [String]

        enum CodingKeys: String, CodingKey {
            case name, description, level, permissions
            case builtIn = "built_in"
        }

        init(_ record: RoleRecord) {
            name = record.name
            description = record.description
            builtIn = record.builtIn
            level = record.level.rawValue
            permissions = record.permissions
        }
    }

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
