import CDSCore
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/console/users`: the staff accounts for those who hold `users.manage`, exactly as `/v1/users` and `/v1/grants`
/// allow: list, create, enable or disable, grant and revoke roles, and issue a one-time invitation link. What the
/// API refuses (a grant beyond the visitor's own reach, an account they do not manage) is refused here, in words.
struct UserPages: Sendable {
    let console: WebConsole

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("users") { request, context in try await console.signedIn(request, context) { try await list($0) } }
        group.get("users/new") { request, context in try await console.signedIn(request, context) { try await newForm($0) } }
        group.post("users/new") { request, context in try await console.signedInForm(request, context) { try await create($0, fields: $1) } }
        group.get("users/{id}") { request, context in try await console.signedIn(request, context) { try await show(context, $0) } }
        group.post("users/{id}/{action}") { request, context in
            try await console.signedInForm(request, context) { try await act(request, context, $0, fields: $1) }
        }
    }

    private var words: Catalogue { console.pages.catalogue }

    func list(_ visitor: Visitor) async throws -> Response {
        let users = try await console.api.get("/v1/users", as: Wire.Page<Wire.User>.self, context: visitor.context).body.items
        var values = visitor.frame
        let units = try await console.unitLabels(users.flatMap { [$0.homeUnitCode] + $0.grants.map(\.unitCode) }, visitor)
        values["users"] = users.map { user in
            [
                "id": user.id.uuidString.lowercased(), "name": user.name, "displayName": user.displayName ?? "",
                "status": words.text("user_status_\(user.status)", visitor.language), "disabled": user.status != "active",
                "home": units[user.homeUnitCode] ?? user.homeUnitCode,
                "grants": user.grants.map { "\($0.role) @ \(units[$0.unitCode] ?? $0.unitCode)" }.joined(separator: ", "),
            ]
        }
        values["empty"] = users.isEmpty
        return console.pages.render("users", values, language: visitor.language)
    }

    func newForm(_ visitor: Visitor, fields: [String: String] = [:], problem: ProblemDetails? = nil) async throws -> Response {
        var values = visitor.frame
        values["fields"] = fields
        values["units"] = try await OrganisingUnits(api: console.api).options(
            visitor.caller.policy.reach(of: .usersManage),
            selected: fields["home_unit_code"],
            visitor
        )
        return console.pages.renderForm("user-form", values, language: visitor.language, problem: problem)
    }

    func create(_ visitor: Visitor, fields: [String: String]) async throws -> Response {
        do {
            let created = try await console.api.send(
                .post,
                "/v1/users",
                json: [
                    "name": fields["name"] ?? "", "home_unit_code": fields["home_unit_code"] ?? "",
                    "display_name": fields["display_name"].flatMap { $0.isEmpty ? nil : $0 } ?? NSNull(),
                ],
                as: Wire.User.self,
                context: visitor.context
            )
            return PageRenderer.redirect(to: "/console/users/\(created.body.id.uuidString.lowercased())")
        } catch let problem as ProblemDetails where [400, 409, 422].contains(problem.statusCode) {
            return try await newForm(visitor, fields: fields, problem: problem)
        }
    }

    func show(
        _ context: APIRequestContext,
        _ visitor: Visitor,
        problem: ProblemDetails? = nil,
        invitation: Wire.Invitation? = nil,
        origin: String? = nil
    ) async throws -> Response {
        let id = try context.pathID().uuidString.lowercased()
        let user = try await console.api.get("/v1/users/\(id)", as: Wire.User.self, context: visitor.context).body
        let roles = try await console.api.get("/v1/roles", as: Wire.Page<Wire.Role>.self, context: visitor.context).body.items
        let units = try await console.unitLabels([user.homeUnitCode] + user.grants.map(\.unitCode), visitor)
        var values = visitor.frame
        values["account"] = PageRenderer.present([
            "id": id, "name": user.name, "displayName": user.displayName, "home": units[user.homeUnitCode] ?? user.homeUnitCode,
            "status": words.text("user_status_\(user.status)", visitor.language), "active": user.status == "active",
            "createdAt": VietnameseFormat.time(user.createdAt), "self": user.id == visitor.caller.principal.id,
        ])
        values["grants"] = user.grants.map { grant in
            ["id": grant.id.uuidString.lowercased(), "role": grant.role, "unit": units[grant.unitCode] ?? grant.unitCode]
        }
        values["roles"] = roles.map { role in ["value": role.name, "label": "\(role.name) (\(role.description))", "selected": false] }
        values["units"] = try await OrganisingUnits(api: console.api).options(visitor.caller.policy.reach(of: .usersManage), selected: nil, visitor)
        if let invitation {
            values["invitation"] = [
                "link": (origin ?? "") + invitation.path, "expiresAt": VietnameseFormat.time(invitation.expiresAt),
            ]
        }
        return console.pages.renderForm("user", values, language: visitor.language, problem: problem)
    }

    /// One of the account page's forms: enable, disable, grant, revoke, invite.
    func act(_ request: Request, _ context: APIRequestContext, _ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let id = try context.pathID().uuidString.lowercased()
        do {
            switch context.parameters.get("action") {
            case "enable", "disable":
                let status = context.parameters.get("action") == "enable" ? "active" : "disabled"
                _ = try await console.api.send(.patch, "/v1/users/\(id)", json: ["status": status], as: Wire.User.self, context: visitor.context)
            case "grant":
                _ = try await console.api.send(
                    .post,
                    "/v1/grants",
                    json: ["user_id": id, "role": fields["role"] ?? "", "unit_code": fields["unit_code"] ?? ""],
                    as: Wire.Grant.self,
                    context: visitor.context
                )
            case "revoke":
                let grant = try RequestInput.uuid(Substring(fields["grant_id"] ?? ""), field: "grant_id")
                try await console.api.perform(.delete, "/v1/grants/\(grant.uuidString.lowercased())", context: visitor.context)
            case "invite":
                let issued = try await console.api.send(
                    .post,
                    "/v1/users/\(id)/invitations",
                    json: nil,
                    as: Wire.Invitation.self,
                    context: visitor.context
                )
                // Shown once, on this page, never put in a redirect's URL: the link is the power to set the password.
                let scheme = ConsoleSession.cameOverTLS(request, context: context, trustedProxies: console.trustedProxies) ? "https" : "http"
                return try await show(context, visitor, invitation: issued.body, origin: request.head.authority.map { "\(scheme)://\($0)" })
            default:
                throw ProblemDetails.notFound("no console page is here")
            }
            return PageRenderer.redirect(to: "/console/users/\(id)")
        } catch let problem as ProblemDetails where [400, 403, 409, 422].contains(problem.statusCode) {
            return try await show(context, visitor, problem: problem)
        }
    }

}
