import CDSCore
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/console/trainings`: the training sessions the visitor may see, recording a session, and ticking who attended
/// it. Through `/v1/trainings` and its attendance routes, where `trainings.manage` on the session's unit decides.
struct TrainingPages: Sendable {
    let console: WebConsole

    static let pageSize = 100

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("trainings") { request, context in try await console.signedIn(request, context) { try await list(request, $0) } }
        group.get("trainings/new") { request, context in try await console.signedIn(request, context) { try await newForm($0) } }
        group.post("trainings/new") { request, context in
            try await console.signedInForm(request, context) { try await create($0, fields: $1) }
        }
        group.get("trainings/{id}") { request, context in try await console.signedIn(request, context) { try await show(context, $0) } }
        group.post("trainings/{id}/attendance") { request, context in
            try await console.signedInForm(request, context) { try await recordAttendance(context, $0, fields: $1) }
        }
    }

    private var words: Catalogue { console.pages.catalogue }

    func list(_ request: Request, _ visitor: Visitor) async throws -> Response {
        let query = FormFields.parse(request.uri.query ?? "")
        let page = try await console.api.get(
            "/v1/trainings",
            query: [("limit", String(Self.pageSize)), ("cursor", query["cursor"])],
            as: Wire.Page<Wire.TrainingSession>.self,
            context: visitor.context
        ).body
        var values = visitor.frame
        let units = try await console.unitLabels(page.items.map(\.unitCode), visitor)
        values["trainings"] = page.items.map { session in
            [
                "id": session.id.uuidString.lowercased(), "heldOn": VietnameseFormat.date(session.heldOn), "topic": session.topic,
                "mode": words.text("training_mode_\(session.mode)", visitor.language),
                "unit": units[session.unitCode] ?? session.unitCode, "attendees": VietnameseFormat.number(session.attendeeCount),
            ]
        }
        values["empty"] = page.items.isEmpty
        values["mayManage"] = visitor.caller.policy.permitsSomewhere(.trainingsManage)
        if let cursor = page.nextCursor {
            values["next"] = "/console/trainings" + FormFields.query([("cursor", cursor)])
        }
        return console.pages.render("trainings", values, language: visitor.language)
    }

    func newForm(_ visitor: Visitor, fields: [String: String] = ["mode": "in_person"], problem: ProblemDetails? = nil) async throws -> Response {
        var values = visitor.frame
        values["fields"] = fields
        values["units"] = try await OrganisingUnits(api: console.api).options(
            visitor.caller.policy.reach(of: .trainingsManage),
            selected: fields["unit_code"],
            visitor
        )
        values["modes"] = words.choices(
            TrainingSession.Mode.allCases.map(\.rawValue),
            prefix: "training_mode_",
            selected: fields["mode"],
            language: visitor.language
        )
        return console.pages.renderForm("training-form", values, language: visitor.language, problem: problem)
    }

    func create(_ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let optional = { (name: String) -> Any in fields[name].flatMap { $0.isEmpty ? nil : $0 } ?? NSNull() }
        do {
            let created = try await console.api.send(
                .post,
                "/v1/trainings",
                json: [
                    "unit_code": fields["unit_code"] ?? "", "held_on": VietnameseFormat.isoDate(fields["held_on"] ?? "") ?? "",
                    "topic": fields["topic"] ?? "", "mode": fields["mode"] ?? "", "bridge_point": optional("bridge_point"),
                    "organiser": optional("organiser"),
                ],
                as: Wire.TrainingSession.self,
                context: visitor.context
            )
            return PageRenderer.redirect(to: "/console/trainings/\(created.body.id.uuidString.lowercased())")
        } catch let problem as ProblemDetails where problem.statusCode == 422 || problem.statusCode == 400 {
            return try await newForm(visitor, fields: fields, problem: problem)
        }
    }

    /// The session, and the members of its unit with a tick for those who attended (a form for those who may
    /// record it).
    func show(_ context: APIRequestContext, _ visitor: Visitor, problem: ProblemDetails? = nil) async throws -> Response {
        let id = try context.pathID().uuidString.lowercased()
        let session = try await console.api.get("/v1/trainings/\(id)", as: Wire.TrainingSession.self, context: visitor.context).body
        let attended = try await attendees(of: id, visitor)
        let eligible = try await eligibleMembers(of: session, visitor)
        var values = visitor.frame
        let unit = try await console.unitLabels([session.unitCode], visitor)[session.unitCode]
        values["training"] = PageRenderer.present([
            "id": id, "heldOn": VietnameseFormat.date(session.heldOn), "topic": session.topic,
            "mode": words.text("training_mode_\(session.mode)", visitor.language), "bridgePoint": session.bridgePoint,
            "organiser": session.organiser, "unit": unit, "attendees": VietnameseFormat.number(session.attendeeCount),
        ])
        values["members"] = eligible.map { member in
            ["id": member.id.uuidString.lowercased(), "fullName": member.fullName, "attended": attended.contains(member.id)]
        }
        values["listed"] = eligible.map { $0.id.uuidString.lowercased() }.joined(separator: " ")
        values["mayRecord"] = visitor.caller.policy.permits(.trainingsManage, on: Int(session.unitCode) ?? session.districtCode)
        return console.pages.renderForm("training", values, language: visitor.language, problem: problem)
    }

    /// Records the ticks of the form: those newly ticked as attending, those unticked as not. Every member named
    /// must be one the form listed and the API still lists for the session's unit, or nothing is recorded.
    func recordAttendance(_ context: APIRequestContext, _ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let id = try context.pathID().uuidString.lowercased()
        let session = try await console.api.get("/v1/trainings/\(id)", as: Wire.TrainingSession.self, context: visitor.context).body
        let eligible = Set(try await eligibleMembers(of: session, visitor).map(\.id))
        let listed = (fields["listed"] ?? "").split(separator: " ").map { UUID(uuidString: String($0)) }
        let ticked = Set(fields.keys.filter { $0.hasPrefix("member_") }.map { UUID(uuidString: String($0.dropFirst("member_".count))) })
        guard listed.allSatisfy({ $0.map(eligible.contains) == true }), ticked.allSatisfy({ $0.map(eligible.contains) == true }) else {
            let problem = ProblemDetails.invalidValue(field: "member_id", code: .unknownValue, "names a member this session's unit does not have")
            return try await show(context, visitor, problem: problem)
        }
        let attended = try await attendees(of: id, visitor)
        let shown = Set(listed.compactMap { $0 })
        let present = Set(ticked.compactMap { $0 })
        for member in present.subtracting(attended).sorted(by: { $0.uuidString < $1.uuidString }) {
            try await console.api.perform(.put, "/v1/trainings/\(id)/attendance/\(member.uuidString.lowercased())", context: visitor.context)
        }
        for member in shown.subtracting(present).intersection(attended).sorted(by: { $0.uuidString < $1.uuidString }) {
            try await console.api.perform(.delete, "/v1/trainings/\(id)/attendance/\(member.uuidString.lowercased())", context: visitor.context)
        }
        return PageRenderer.redirect(to: "/console/trainings/\(id)")
    }

    private func attendees(of id: String, _ visitor: Visitor) async throws -> Set<UUID> {
        let attendees = try await console.api.all(
            "/v1/trainings/\(id)/attendance",
            as: Wire.Attendee.self,
            context: visitor.context
        )
        return Set(attendees.map(\.memberID))
    }

    /// The current members of the session's commune (or district, for a district's session): who may attend.
    private func eligibleMembers(of session: Wire.TrainingSession, _ visitor: Visitor) async throws -> [Wire.Member] {
        try await console.api.all(
            "/v1/members",
            query: [("unit", session.unitCode)],
            as: Wire.Member.self,
            context: visitor.context
        ).filter { $0.leftOn == nil }
    }
}

extension Wire.TrainingSession {
    /// The unit the session was held for: its commune, or its district.
    fileprivate var unitCode: String { communeCode ?? String(districtCode) }
}
