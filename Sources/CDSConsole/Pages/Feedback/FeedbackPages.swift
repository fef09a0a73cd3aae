import CDSCore
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/console/feedback`: the queue of the reports the visitor handles (unanswered first, those overdue leading), a
/// report's page with its history, and the handlers' forms: move it through the workflow, answer the citizen
/// publicly, note internally, take it or let it go. Through `/v1/feedback/reports`, so the citizen's contact is
/// shown only to those who may handle the report, and each such view is audited by the API.
struct FeedbackPages: Sendable {
    let console: WebConsole

    static let pageSize = 50

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("feedback") { request, context in try await console.signedIn(request, context) { try await queue(request, $0) } }
        group.get("feedback/{code}") { request, context in try await console.signedIn(request, context) { try await show(context, $0) } }
        group.post("feedback/{code}/{action}") { request, context in
            try await console.signedInForm(request, context) { try await act(context, $0, fields: $1) }
        }
    }

    private var words: Catalogue { console.pages.catalogue }

    func queue(_ request: Request, _ visitor: Visitor) async throws -> Response {
        let query = FormFields.parse(request.uri.query ?? "")
        let status = query["status"].flatMap { $0.isEmpty ? nil : $0 }
        let overdue = query["overdue"] == "true" ? "true" : nil
        let page = try await console.api.get(
            "/v1/feedback/reports",
            query: [("status", status), ("overdue", overdue), ("limit", String(Self.pageSize)), ("cursor", query["cursor"])],
            as: Wire.Page<Wire.HandledReport>.self,
            context: visitor.context
        ).body
        var values = visitor.frame
        let units = try await console.unitLabels(page.items.map(\.unitCode), visitor)
        let categories = try await categoryNames(visitor)
        values["reports"] = page.items.map { summary($0, units: units, categories: categories, visitor) }
        values["empty"] = page.items.isEmpty
        values["statuses"] = words.choices(
            [""] + ReportStatus.allCases.map(\.rawValue),
            prefix: "feedback_status_",
            selected: status ?? "",
            language: visitor.language
        )
        values["overdue"] = overdue != nil
        if let cursor = page.nextCursor {
            values["next"] = "/console/feedback" + FormFields.query([("status", status), ("overdue", overdue), ("cursor", cursor)])
        }
        return console.pages.render("feedback", values, language: visitor.language)
    }

    func show(
        _ context: APIRequestContext,
        _ visitor: Visitor,
        problem: ProblemDetails? = nil,
        fields: [String: String] = [:]
    ) async throws
        -> Response
    {
        let code = context.parameters.get("code") ?? ""
        let report = try await console.api.get("/v1/feedback/reports/\(code)", as: Wire.HandledReport.self, context: visitor.context).body
        var values = visitor.frame
        let summary = summary(
            report,
            units: try await console.unitLabels([report.unitCode], visitor),
            categories: try await categoryNames(visitor),
            visitor
        )
        let assigned = report.assigneeID.map {
            $0 == visitor.caller.principal.id ? words.text("feedback_assigned_you", visitor.language) : $0.uuidString.lowercased()
        }
        values["report"] = summary.merging(
            PageRenderer.present([
                "description": report.description, "address": report.address, "submittedAt": VietnameseFormat.time(report.submittedAt),
                "answeredAt": report.answeredAt.map(VietnameseFormat.time), "assigned": assigned,
            ])
        ) { $1 }
        if let contact = report.contact {
            values["contact"] = PageRenderer.present(["name": contact.name, "phone": contact.phone, "email": contact.email])
        }
        values["updates"] = (report.updates ?? []).reversed().map { update in
            PageRenderer.present([
                "at": VietnameseFormat.time(update.at), "actor": update.actor,
                "kind": words.text("feedback_update_\(update.kind)", visitor.language),
                "change": update.statusTo.map { to in
                    "\(update.statusFrom.map { statusName($0, visitor) } ?? "") → \(statusName(to, visitor))"
                },
                "publicMessage": update.publicMessage, "internalNote": update.internalNote,
            ])
        }
        if visitor.caller.policy.permits(.feedbackHandle, on: report.handlingUnit), let status = ReportStatus(rawValue: report.status) {
            values["handle"] = [
                "next": ReportStatus.allCases.filter(status.canMove).map { ["value": $0.rawValue, "label": statusName($0.rawValue, visitor)] },
                "mine": report.assigneeID == visitor.caller.principal.id,
                "fields": fields,
            ]
        }
        return console.pages.renderForm("feedback-report", values, language: visitor.language, problem: problem)
    }

    /// One of the handlers' forms, sent to the API's route for it.
    func act(_ context: APIRequestContext, _ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        let base = "/v1/feedback/reports/\(code)"
        // What the person left empty is left out, as the API's optional fields are.
        let filled = { (names: [String]) in
            Dictionary(names.compactMap { name in fields[name].flatMap { $0.isEmpty ? nil : (name, $0 as Any) } }) { first, _ in first }
        }
        let (method, path, body): (HTTPRequest.Method, String, [String: Any])
        switch context.parameters.get("action") {
        case "transition":
            (method, path) = (.post, base + "/transitions")
            body = filled(["public_message", "internal_note", "duplicate_of", "referred_to"]).merging(["status": fields["status"] ?? ""]) { $1 }
        case "response":
            (method, path, body) = (.post, base + "/responses", ["message": fields["message"] ?? ""])
        case "note":
            (method, path, body) = (.post, base + "/notes", ["note": fields["note"] ?? ""])
        case "assignee":
            let mine = fields["assign"] == "me" ? visitor.caller.principal.id.uuidString.lowercased() as Any : NSNull()
            (method, path, body) = (.put, base + "/assignee", ["assignee_id": mine])
        default:
            throw ProblemDetails.notFound("no console page is here")
        }
        do {
            _ = try await console.api.send(method, path, json: body, as: Wire.HandledReport.self, context: visitor.context)
            return PageRenderer.redirect(to: "/console/feedback/\(code)")
        } catch let problem as ProblemDetails where [400, 409, 422].contains(problem.statusCode) {
            return try await show(context, visitor, problem: problem, fields: fields)
        }
    }

    // MARK: Helpers

    /// The categories' names by code, as the province's catalogue names them.
    private func categoryNames(_ visitor: Visitor) async throws -> [String: String] {
        let categories = try await console.api.get("/v1/feedback/categories", as: Wire.Page<Wire.FeedbackCategory>.self, context: visitor.context)
        return Dictionary(categories.body.items.map { ($0.code, $0.name) }) { first, _ in first }
    }

    private func summary(_ report: Wire.HandledReport, units: [String: String], categories: [String: String], _ visitor: Visitor) -> [String: Any] {
        [
            "code": report.trackingCode, "status": statusName(report.status, visitor),
            "category": categories[report.serviceCode] ?? report.serviceCode,
            "unit": units[report.unitCode] ?? report.unitCode, "dueAt": VietnameseFormat.time(report.dueAt),
            "overdue": report.overdue,
        ]
    }

    private func statusName(_ status: String, _ visitor: Visitor) -> String {
        words.text("feedback_status_\(status)", visitor.language)
    }
}

extension Wire.HandledReport {
    /// Where the citizen placed the report: its hamlet, or its commune.
    fileprivate var unitCode: String { hamletCode ?? String(communeCode) }
}
