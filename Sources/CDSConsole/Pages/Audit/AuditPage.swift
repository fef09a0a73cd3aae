import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/console/audit`: the audit entries the visitor may read (`GET /v1/audit`: `audit.read`, over the districts of
/// that grant; the control plane's log for province accounts), newest first, filtered as the API filters them.
struct AuditPage: Sendable {
    let console: WebConsole

    static let pageSize = 100
    static let filters = ["log", "action", "entity", "entity_key", "principal", "subject"]

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("audit") { request, context in try await console.signedIn(request, context) { try await list(request, $0) } }
    }

    private var words: Catalogue { console.pages.catalogue }

    func list(_ request: Request, _ visitor: Visitor) async throws -> Response {
        let query = FormFields.parse(request.uri.query ?? "")
        let chosen = FormFields.chosen(Self.filters, in: query)
        let page = try await console.api.get(
            "/v1/audit",
            query: chosen + [("limit", String(Self.pageSize)), ("cursor", query["cursor"])],
            as: Wire.Page<Wire.AuditEntry>.self,
            context: visitor.context
        ).body
        var values = visitor.frame
        values["entries"] = page.items.map { entry in
            [
                "at": VietnameseFormat.time(entry.occurredAt), "actor": entry.actor,
                "action": words.text("audit_action_\(entry.action)", visitor.language), "entity": entry.entity,
                "key": entry.entityKey ?? entry.subjects.map { words.text("audit_rows", visitor.language, ["count": String($0.count)]) } ?? "",
                "detail": entry.route ?? entry.changedFields?.joined(separator: ", ") ?? "",
            ]
        }
        values["empty"] = page.items.isEmpty
        values["filters"] = Dictionary(chosen.map { ($0.0, $0.1 ?? "") }) { first, _ in first }
        values["actions"] = words.choices(
            ["", "insert", "update", "delete", "read_personal"],
            prefix: "audit_action_",
            selected: query["action"] ?? "",
            language: visitor.language
        )
        values["control"] = query["log"] == "control"
        values["mayReadControl"] = visitor.caller.policy.permitsOnProvince(.auditRead)
        if let cursor = page.nextCursor {
            values["next"] = "/console/audit" + FormFields.query(chosen + [("cursor", cursor)])
        }
        return console.pages.render("audit", values, language: visitor.language)
    }
}
