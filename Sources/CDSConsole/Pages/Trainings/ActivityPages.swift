import CDSCore
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/console/activities`: the guidance activities the teams recorded, and recording one (`/v1/activities`, where
/// `activities.manage` on the team's unit decides).
struct ActivityPages: Sendable {
    let console: WebConsole

    static let pageSize = 100

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("activities") { request, context in try await console.signedIn(request, context) { try await list(request, $0) } }
        group.get("activities/new") { request, context in try await console.signedIn(request, context) { try await newForm($0) } }
        group.post("activities/new") { request, context in
            try await console.signedInForm(request, context) { try await create($0, fields: $1) }
        }
    }

    private var words: Catalogue { console.pages.catalogue }

    func list(_ request: Request, _ visitor: Visitor) async throws -> Response {
        let query = FormFields.parse(request.uri.query ?? "")
        let page = try await console.api.get(
            "/v1/activities",
            query: [("limit", String(Self.pageSize)), ("cursor", query["cursor"])],
            as: Wire.Page<Wire.Activity>.self,
            context: visitor.context
        ).body
        var values = visitor.frame
        let units = try await console.unitLabels(page.items.map { $0.hamletCode ?? $0.communeCode }, visitor)
        values["activities"] = page.items.map { activity in
            [
                "heldOn": VietnameseFormat.date(activity.heldOn), "topic": words.text("activity_topic_\(activity.topic)", visitor.language),
                "unit": units[activity.hamletCode ?? activity.communeCode] ?? activity.communeCode,
                "residents": VietnameseFormat.number(activity.residentsReached),
                "note": activity.note ?? "",
            ]
        }
        values["empty"] = page.items.isEmpty
        values["mayManage"] = visitor.caller.policy.permitsSomewhere(.activitiesManage)
        if let cursor = page.nextCursor {
            values["next"] = "/console/activities" + FormFields.query([("cursor", cursor)])
        }
        return console.pages.render("activities", values, language: visitor.language)
    }

    func newForm(_ visitor: Visitor, fields: [String: String] = [:], problem: ProblemDetails? = nil) async throws -> Response {
        let teams = try await console.api.all("/v1/teams", query: [("status", "active")], as: Wire.Team.self, context: visitor.context)
        let policy = visitor.caller.policy
        var values = visitor.frame
        values["fields"] = fields
        values["teams"] = teams.filter { Int($0.communeCode).map { policy.permits(.activitiesManage, on: $0) } == true }.map { team in
            ["value": team.id.uuidString.lowercased(), "label": team.name, "selected": team.id.uuidString.lowercased() == fields["team_id"]]
        }
        values["topics"] = words.choices(
            GuidanceActivity.Topic.allCases.map(\.rawValue),
            prefix: "activity_topic_",
            selected: fields["topic"],
            language: visitor.language
        )
        return console.pages.renderForm("activity-form", values, language: visitor.language, problem: problem)
    }

    func create(_ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let residents = fields["residents_reached"].flatMap { Int($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ".", with: "")) }
        do {
            _ = try await console.api.send(
                .post,
                "/v1/activities",
                json: [
                    "team_id": fields["team_id"] ?? "", "held_on": VietnameseFormat.isoDate(fields["held_on"] ?? "") ?? "",
                    "topic": fields["topic"] ?? "", "residents_reached": residents.map { $0 as Any } ?? fields["residents_reached"] ?? "",
                    "note": fields["note"].flatMap { $0.isEmpty ? nil : $0 } ?? NSNull(),
                ],
                as: Wire.Activity.self,
                context: visitor.context
            )
            return PageRenderer.redirect(to: "/console/activities")
        } catch let problem as ProblemDetails where problem.statusCode == 422 || problem.statusCode == 400 {
            return try await newForm(visitor, fields: fields, problem: problem)
        }
    }
}
