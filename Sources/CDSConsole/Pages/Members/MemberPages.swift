import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/console/members`: the members the visitor may read, searched without diacritics ("lo van" finds "Lò Văn"); a
/// member's page; adding and editing one (a stale edit shows both versions and asks, never overwrites); importing
/// from CSV or cells pasted from a spreadsheet; recording that one left. All through `/v1/members` and `/v1/imports/members`.
struct MemberPages: Sendable {
    let console: WebConsole

    static let pageSize = 50

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("members") { request, context in try await console.signedIn(request, context) { try await list(request, $0) } }
        group.get("members/new") { request, context in try await console.signedIn(request, context) { try await newForm($0) } }
        group.post("members/new") { request, context in try await console.signedInForm(request, context) { try await create($0, fields: $1) } }
        group.get("members/export") { request, context in try await console.signedIn(request, context) { try await export(request, $0) } }
        group.get("members/import") { request, context in try await console.signedIn(request, context) { importForm($0) } }
        group.post("members/import") { request, context in try await console.signedInForm(request, context) { try await importSheet($0, fields: $1) }
        }
        group.get("members/{id}") { request, context in try await console.signedIn(request, context) { try await show(context, $0) } }
        group.post("members/{id}/leave") { request, context in
            try await console.signedInForm(request, context) { try await leave(context, $0, fields: $1) }
        }
        group.get("members/{id}/edit") { request, context in try await console.signedIn(request, context) { try await editForm(context, $0) } }
        group.post("members/{id}/edit") { request, context in
            try await console.signedInForm(request, context) { try await update(context, $0, fields: $1) }
        }
    }

    private var words: Catalogue { console.pages.catalogue }

    // MARK: List and show

    func list(_ request: Request, _ visitor: Visitor) async throws -> Response {
        // As an HTML form sends it: a space is `+`.
        let query = FormFields.parse(request.uri.query ?? "")
        let search = query["q"] ?? ""
        let filters = Self.filters(query)
        let page = try await console.api.get(
            "/v1/members",
            query: [("limit", String(Self.pageSize)), ("cursor", query["cursor"])] + filters,
            as: Wire.Page<Wire.Member>.self,
            context: visitor.context
        ).body
        var values = visitor.frame
        values["q"] = search
        values["export"] = "/console/members/export" + FormFields.query(filters)
        let units = try await console.unitLabels(page.items.map(\.unitCode), visitor)
        values["members"] = page.items.map { row($0, units: units, visitor) }
        values["empty"] = page.items.isEmpty
        values["mayManage"] = visitor.caller.policy.permitsSomewhere(.membersManage)
        if let cursor = page.nextCursor {
            values["next"] = "/console/members" + FormFields.query(filters + [("cursor", cursor)])
        }
        return console.pages.render("members", values, language: visitor.language)
    }

    /// The list's search and filters as the API takes them; an empty one left out.
    private static func filters(_ query: [String: String]) -> [(String, String?)] {
        FormFields.chosen(["q", "smartphone", "trained", "unit", "team"], in: query)
    }

    /// Every member of the list as it is filtered, as the members sheet (the columns `members import` reads), in
    /// UTF-8 with a byte-order mark for Excel and with cells a spreadsheet would run as formulas neutralised. Each
    /// page read is audited by the API as any list of personal data.
    func export(_ request: Request, _ visitor: Visitor) async throws -> Response {
        let filters = Self.filters(FormFields.parse(request.uri.query ?? ""))
        let members = try await console.api.all("/v1/members", query: filters, as: Wire.Member.self, context: visitor.context)
        let lines = [CSVLine.encode(Wire.Member.sheetColumns)] + members.map { CSVLine.encode($0.sheetCells) }
        var headers = PageRenderer.securityHeaders
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = #"attachment; filename="members.csv""#
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + lines.joined(separator: "\n") + "\n")))
    }

    /// The member and, for those who hold `audit.read`, who has read its personal data (`GET /v1/audit?subject=`,
    /// this visit included): on the page people already open, so that looking does not record a read of its own.
    func show(_ context: APIRequestContext, _ visitor: Visitor, problem: ProblemDetails? = nil) async throws -> Response {
        let id = try context.pathID().uuidString.lowercased()
        let answer = try await console.api.get("/v1/members/\(id)", as: Wire.Member.self, context: visitor.context)
        let member = answer.body
        var values = visitor.frame
        values["member"] = row(member, units: try await console.unitLabels([member.unitCode], visitor), visitor)
        values["version"] = answer.etag ?? ""
        values["today"] = VietnameseFormat.today()
        values["mayManage"] = visitor.caller.policy.permitsSomewhere(.membersManage)
        if visitor.caller.policy.permitsSomewhere(.auditRead) {
            let entries = try await console.api.get(
                "/v1/audit",
                query: [("subject", id), ("limit", "200")],
                as: Wire.Page<Wire.AuditEntry>.self,
                context: visitor.context
            ).body.items
            values["readers"] = [
                "entries": entries.map { ["at": VietnameseFormat.time($0.occurredAt), "actor": $0.actor, "route": $0.route ?? $0.action] }
            ]
        }
        return console.pages.renderForm("member", values, language: visitor.language, problem: problem)
    }

    /// Records that the member left the team on the day given (the member stays on record, as `members remove`
    /// leaves them), with the version the page was read at.
    func leave(_ context: APIRequestContext, _ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let id = try context.pathID().uuidString.lowercased()
        do {
            _ = try await console.api.send(
                .patch,
                "/v1/members/\(id)",
                json: ["left_on": VietnameseFormat.isoDate(fields["left_on"] ?? "") ?? ""],
                ifMatch: fields["version"] ?? "",
                as: Wire.Member.self,
                context: visitor.context
            )
            return PageRenderer.redirect(to: "/console/members/\(id)")
        } catch let problem as ProblemDetails where [400, 412, 422].contains(problem.statusCode) {
            return try await show(context, visitor, problem: problem)
        }
    }

    /// A member as the pages show it: words in the visitor's language, dates as Vietnamese write them.
    private func row(_ member: Wire.Member, units: [String: String], _ visitor: Visitor) -> [String: Any] {
        let language = visitor.language
        return [
            "id": member.id.uuidString.lowercased(),
            "fullName": member.fullName,
            "unit": units[member.unitCode] ?? member.unitCode,
            "role": words.text("member_role_\(member.role)", language),
            "gender": member.gender.map { words.text("member_gender_\($0)", language) } ?? words.text("member_unknown", language),
            "affiliation": words.text("member_affiliation_\(member.affiliation)", language),
            "smartphone": member.hasSmartphone,
            "trained": member.trained,
            "joinedOn": VietnameseFormat.date(member.joinedOn),
            "leftOn": VietnameseFormat.date(member.leftOn),
            "left": member.leftOn != nil,
            "personal": member.personal.map { personal in
                [
                    "phone": personal.phone ?? "", "birthYear": personal.birthYear.map(String.init) ?? "",
                    "ethnicity": personal.ethnicity ?? "",
                ]
            } as Any,
        ]
    }

    // MARK: Add and edit

    func newForm(_ visitor: Visitor) async throws -> Response {
        try await form(visitor, fields: ["role": "member", "affiliation": "resident"], action: "/console/members/new", status: .ok)
    }

    func create(_ visitor: Visitor, fields: [String: String]) async throws -> Response {
        do {
            let created = try await console.api.send(
                .post,
                "/v1/members",
                json: MemberForm.body(fields, clearing: false),
                as: Wire.Member.self,
                context: visitor.context
            )
            return PageRenderer.redirect(to: "/console/members/\(created.body.id.uuidString.lowercased())")
        } catch let problem as ProblemDetails where problem.statusCode == 422 || problem.statusCode == 400 {
            return try await form(visitor, fields: fields, action: "/console/members/new", status: problem.status, problem: problem)
        }
    }

    func editForm(_ context: APIRequestContext, _ visitor: Visitor) async throws -> Response {
        let id = try context.pathID().uuidString.lowercased()
        let current = try await console.api.get("/v1/members/\(id)", as: Wire.Member.self, context: visitor.context)
        var fields = MemberForm.fields(of: current.body)
        fields["version"] = current.etag ?? ""
        return try await form(visitor, fields: fields, action: "/console/members/\(id)/edit", status: .ok)
    }

    func update(_ context: APIRequestContext, _ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let id = try context.pathID().uuidString.lowercased()
        let action = "/console/members/\(id)/edit"
        do {
            _ = try await console.api.send(
                .patch,
                "/v1/members/\(id)",
                json: MemberForm.body(fields, clearing: true),
                ifMatch: fields["version"] ?? "",
                as: Wire.Member.self,
                context: visitor.context
            )
            return PageRenderer.redirect(to: "/console/members/\(id)")
        } catch let problem as ProblemDetails where problem.statusCode == 412 {
            // Someone saved first: both versions side by side, the form keeping this person's values and carrying
            // the current version, so that saving again is a decision, not an accident.
            let current = try await console.api.get("/v1/members/\(id)", as: Wire.Member.self, context: visitor.context)
            var mine = fields
            mine["version"] = current.etag ?? ""
            var extra: [String: Any] = ["conflict": true]
            extra["theirs"] = MemberForm.comparison(MemberForm.fields(of: current.body), words: words, language: visitor.language)
            extra["yours"] = MemberForm.comparison(fields, words: words, language: visitor.language)
            return try await form(visitor, fields: mine, action: action, status: .conflict, extra: extra)
        } catch let problem as ProblemDetails where problem.statusCode == 422 || problem.statusCode == 400 {
            return try await form(visitor, fields: fields, action: action, status: problem.status, problem: problem)
        }
    }

    private func form(
        _ visitor: Visitor,
        fields: [String: String],
        action: String,
        status: HTTPResponse.Status,
        problem: ProblemDetails? = nil,
        extra: [String: Any] = [:]
    ) async throws -> Response {
        let teams = try await console.api.get(
            "/v1/teams",
            query: [("status", "active"), ("limit", "500")],
            as: Wire.Page<Wire.Team>.self,
            context: visitor.context
        ).body.items
        var values = visitor.frame.merging(extra) { $1 }
        values["action"] = action
        values["fields"] = fields
        values["teams"] = teams.map { team in
            ["id": team.id.uuidString.lowercased(), "name": team.name, "selected": team.id.uuidString.lowercased() == fields["team_id"]]
        }
        values["roles"] = words.choices(
            Member.Role.allCases.map(\.rawValue),
            prefix: "member_role_",
            selected: fields["role"],
            language: visitor.language,
            emptyKey: "member_unknown"
        )
        values["genders"] = words.choices(
            ["", "male", "female"],
            prefix: "member_gender_",
            selected: fields["gender"] ?? "",
            language: visitor.language,
            emptyKey: "member_unknown"
        )
        values["affiliations"] = words.choices(
            Member.Affiliation.allCases.map(\.rawValue),
            prefix: "member_affiliation_",
            selected: fields["affiliation"],
            language: visitor.language,
            emptyKey: "member_unknown"
        )
        guard problem == nil else { return console.pages.renderForm("member-form", values, language: visitor.language, problem: problem) }
        return console.pages.render("member-form", values, language: visitor.language, status: status)
    }

    // MARK: Import

    func importForm(_ visitor: Visitor) -> Response {
        console.pages.render("member-import", visitor.frame, language: visitor.language)
    }

    func importSheet(_ visitor: Visitor, fields: [String: String]) async throws -> Response {
        // A file chosen without JavaScript arrives as the `file` part; with it, the file has also filled the text box.
        let file = (fields["file"] ?? "").replacingOccurrences(of: "\u{FEFF}", with: "")
        let text = file.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? fields["sheet"] ?? "" : file
        var values = visitor.frame
        values["sheet"] = text
        let table: CSVTable
        do {
            table = try CSVTable(text: text, separator: CSVTable.separator(guessedFrom: text))
        } catch {
            return importFaults(
                error.errors.map { ($0.line, $0.field ?? "", words.text("import_fault_malformed", visitor.language)) },
                values,
                visitor
            )
        }
        let (items, faults) = ImportSheet.members.read(table)
        guard faults.isEmpty else {
            return importFaults(
                faults.map { ($0.line, $0.column ?? "", words.text("import_fault_\($0.code.rawValue)", visitor.language)) },
                values,
                visitor
            )
        }
        do {
            let result = try await console.api.send(
                .post,
                "/v1/imports/members",
                json: ["members": items],
                as: ImportResult.self,
                context: visitor.context
            )
            values["done"] = words.text("import_done", visitor.language, ["count": VietnameseFormat.number(result.body.imported)])
            values["sheet"] = ""
            return console.pages.render("member-import", values, language: visitor.language)
        } catch let problem as ProblemDetails where !(problem.errors ?? []).isEmpty {
            let lines = (problem.errors ?? []).map { error in
                let place = ImportSheet.place(of: error.field, key: "members", records: table.records)
                let message = visitor.language == "en" ? error.message : words.text("error_\(error.code)", visitor.language)
                return (place?.line ?? 0, place?.column ?? error.field, message)
            }
            return importFaults(lines, values, visitor, status: problem.status)
        }
    }

    struct ImportResult: Decodable, Sendable {
        let imported: Int
    }

    private func importFaults(
        _ faults: [(line: Int, column: String, message: String)],
        _ values: [String: Any],
        _ visitor: Visitor,
        status: HTTPResponse.Status = .unprocessableContent
    ) -> Response {
        var values = values
        values["hasFaults"] = true
        values["faults"] = faults.sorted { $0.line < $1.line }.map {
            ["line": $0.line == 0 ? "" : String($0.line), "column": $0.column, "message": $0.message]
        }
        return console.pages.render("member-import", values, language: visitor.language, status: status)
    }
}

extension Wire.Member {
    /// The unit the member serves: the team's hamlet, or its commune for a commune team.
    fileprivate var unitCode: String { hamletCode ?? communeCode }
}
