import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/console/members`: the members the visitor may read, searched without diacritics ("lo van" finds "Lò Văn"),
/// through `GET /v1/members`.
struct MemberPages: Sendable {
    let console: WebConsole

    static let pageSize = 50

    func addRoutes(to console: RouterGroup<APIRequestContext>) {
        console.get("members") { request, context in try await self.console.signedIn(request, context) { visitor in try await list(request, visitor) }
        }
    }

    func list(_ request: Request, _ visitor: Visitor) async throws -> Response {
        let query = request.uri.queryParameters
        let search = query["q"].map(String.init) ?? ""
        let cursor = query["cursor"].map(String.init)
        let page = try await console.api.get(
            "/v1/members",
            query: [("q", search.isEmpty ? nil : search), ("limit", String(Self.pageSize)), ("cursor", cursor)],
            as: Wire.Page<Wire.Member>.self,
            context: visitor.context
        ).body
        let words = console.pages.catalogue
        let rows: [[String: Any]] = page.items.map { member in
            [
                "id": member.id.uuidString.lowercased(),
                "fullName": member.fullName,
                "unit": member.hamletCode ?? member.communeCode,
                "role": words.text("member_role_\(member.role)", visitor.language),
                "smartphone": member.hasSmartphone,
                "trained": member.trained,
                "left": member.leftOn != nil,
            ]
        }
        var values = visitor.frame
        values["q"] = search
        values["members"] = rows
        values["empty"] = rows.isEmpty
        values["next"] =
            page.nextCursor.map { cursor in
                var components = URLComponents()
                components.queryItems = [URLQueryItem(name: "q", value: search), URLQueryItem(name: "cursor", value: cursor)]
                return "/console/members?" + (components.percentEncodedQuery ?? "")
            } ?? ""
        values["title"] = words.text("members_title", visitor.language)
        return console.pages.render("members", values, language: visitor.language)
    }
}
