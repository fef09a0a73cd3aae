import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/console/teams`: the teams the visitor may read (`GET /v1/teams`), searched without diacritics and filtered by
/// level and status, each linked to its members.
struct TeamsPage: Sendable {
    let console: WebConsole

    static let pageSize = 100

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("teams") { request, context in try await console.signedIn(request, context) { try await list(request, $0) } }
    }

    private var words: Catalogue { console.pages.catalogue }

    func list(_ request: Request, _ visitor: Visitor) async throws -> Response {
        let query = FormFields.parse(request.uri.query ?? "")
        let chosen = FormFields.chosen(["q", "level", "status", "unit"], in: query)
        let page = try await console.api.get(
            "/v1/teams",
            query: chosen + [("limit", String(Self.pageSize)), ("cursor", query["cursor"])],
            as: Wire.Page<Wire.Team>.self,
            context: visitor.context
        ).body
        let language = visitor.language
        let units = try await console.unitLabels(page.items.map { $0.hamletCode ?? $0.communeCode }, visitor)
        var values = visitor.frame
        values["teams"] = page.items.map { team in
            [
                "id": team.id.uuidString.lowercased(), "name": team.name, "level": words.text("team_level_\(team.level)", language),
                "unit": units[team.hamletCode ?? team.communeCode] ?? team.communeCode, "members": VietnameseFormat.number(team.memberCount),
                "establishedOn": VietnameseFormat.date(team.establishedOn), "dissolved": team.status == "dissolved",
            ]
        }
        values["empty"] = page.items.isEmpty
        values["q"] = query["q"] ?? ""
        values["levels"] = words.choices(["", "commune", "hamlet"], prefix: "team_level_", selected: query["level"] ?? "", language: language)
        values["statuses"] = words.choices(["", "active", "dissolved"], prefix: "team_status_", selected: query["status"] ?? "", language: language)
        if let cursor = page.nextCursor {
            values["next"] = "/console/teams" + FormFields.query(chosen + [("cursor", cursor)])
        }
        return console.pages.render("teams", values, language: language)
    }
}
