import CDSCore
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/console/units`: the unit tree of the visitor's districts, a level a page (district → communes → hamlets), and
/// the hamlets' upkeep where the visitor holds `units.manage`: add one to a commune, rename it, change its kind,
/// move it to another commune of its district, retire it. All through `/v1/units`, with its ETag rules.
struct UnitPages: Sendable {
    let console: WebConsole

    /// More than any commune has hamlets (the largest in the province has under 200).
    static let childLimit = 500

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("units") { request, context in try await console.signedIn(request, context) { try await tree($0) } }
        group.get("units/{code}") { request, context in try await console.signedIn(request, context) { try await show(context, $0) } }
        group.post("units/{code}/hamlets") { request, context in
            try await console.signedInForm(request, context) { try await addHamlet(context, $0, fields: $1) }
        }
        group.post("units/{code}/edit") { request, context in
            try await console.signedInForm(request, context) { try await changeHamlet(context, $0, fields: $1) }
        }
    }

    private var words: Catalogue { console.pages.catalogue }

    /// The visitor's districts with their communes.
    func tree(_ visitor: Visitor) async throws -> Response {
        let districts = visitor.caller.policy.districts.map(\.rawValue).sorted()
        var listed: [[String: Any]] = []
        for district in districts {
            let unit = try await console.api.get("/v1/units/\(district)", as: Wire.Unit.self, context: visitor.context).body
            listed.append(["code": unit.code, "name": unit.name, "children": try await children(of: unit.code, visitor)])
        }
        var values = visitor.frame
        values["districts"] = listed
        values["empty"] = listed.isEmpty
        return console.pages.render("units", values, language: visitor.language)
    }

    /// A unit, its children, and for a hamlet or a commune the forms the visitor may use.
    func show(
        _ context: APIRequestContext,
        _ visitor: Visitor,
        fields: [String: String]? = nil,
        problem: ProblemDetails? = nil
    ) async throws
        -> Response
    {
        let code = context.parameters.get("code") ?? ""
        let answer = try await console.api.get("/v1/units/\(code)", as: Wire.Unit.self, context: visitor.context)
        let unit = answer.body
        var values = visitor.frame
        values["unit"] = describe(unit, visitor)
        if let parent = unit.parentCode, unit.level != "district" {
            let parentUnit = try await console.api.get("/v1/units/\(parent)", as: Wire.Unit.self, context: visitor.context).body
            values["parent"] = ["code": parentUnit.code, "name": parentUnit.name]
        }
        let policy = visitor.caller.policy
        switch unit.level {
        case "hamlet":
            guard let commune = unit.parentCode.flatMap(Int.init), policy.permits(.unitsManage, on: commune) else { break }
            let form = fields ?? ["name": unit.name, "kind": unit.divisionType, "commune_code": String(commune), "valid_to": ""]
            values["edit"] = [
                "fields": form, "version": fields?["version"] ?? answer.etag ?? "",
                "kinds": kinds(selected: form["kind"], visitor),
                "communes": try await communes(of: unit.districtCode ?? 0, selected: form["commune_code"], visitor),
            ]
        case "commune":
            values["children"] = try await children(of: unit.code, visitor)
            if let commune = Int(unit.code), policy.permits(.unitsManage, on: commune) {
                let form = fields ?? ["kind": HamletKind.ban.rawValue]
                values["add"] = [
                    "fields": form,
                    "kinds": kinds(selected: form["kind"], visitor),
                ]
            }
        default:
            values["children"] = try await children(of: unit.code, visitor)
        }
        values["hasChildren"] = (values["children"] as? [[String: Any]])?.isEmpty == false
        if problem?.statusCode == 412 { values["problem"] = words.text("unit_changed", visitor.language) }
        return console.pages.renderForm("unit", values, language: visitor.language, problem: problem)
    }

    func addHamlet(_ context: APIRequestContext, _ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let commune = context.parameters.get("code") ?? ""
        do {
            let created = try await console.api.send(
                .post,
                "/v1/units",
                json: ["commune_code": commune, "name": fields["name"] ?? "", "kind": fields["kind"] ?? ""],
                as: Wire.Unit.self,
                context: visitor.context
            )
            return PageRenderer.redirect(to: "/console/units/\(created.body.code)")
        } catch let problem as ProblemDetails where problem.statusCode == 422 || problem.statusCode == 400 {
            return try await show(context, visitor, fields: fields, problem: problem)
        }
    }

    /// Renames, re-kinds, moves or retires a hamlet: only what the form changed is sent, with the version it was
    /// read at, so that a change someone saved in between is shown, not overwritten.
    func changeHamlet(_ context: APIRequestContext, _ visitor: Visitor, fields: [String: String]) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        var change: [String: Any] = [:]
        for name in ["name", "kind", "commune_code"] {
            if let value = fields[name], !value.isEmpty { change[name] = value }
        }
        if let retire = fields["valid_to"], !retire.isEmpty { change["valid_to"] = VietnameseFormat.isoDate(retire) ?? retire }
        do {
            _ = try await console.api.send(
                .patch,
                "/v1/units/\(code)",
                json: change,
                ifMatch: fields["version"] ?? "",
                as: Wire.Unit.self,
                context: visitor.context
            )
            return PageRenderer.redirect(to: "/console/units/\(code)")
        } catch let problem as ProblemDetails where [400, 409, 412, 422].contains(problem.statusCode) {
            // The form again with what the person typed; after a 412, with the version now current, so that
            // sending it again is a decision made having seen the hamlet as it is.
            var kept = fields
            if problem.statusCode == 412 {
                kept["version"] = try await console.api.get("/v1/units/\(code)", as: Wire.Unit.self, context: visitor.context).etag ?? ""
            }
            return try await show(context, visitor, fields: kept, problem: problem)
        }
    }

    // MARK: Helpers

    private func describe(_ unit: Wire.Unit, _ visitor: Visitor) -> [String: Any] {
        var described: [String: Any] = [
            "code": unit.code, "name": unit.name, "level": words.text("unit_level_\(unit.level)", visitor.language),
        ]
        if let validTo = unit.validTo { described["retired"] = VietnameseFormat.date(validTo) }
        return described
    }

    private func children(of code: String, _ visitor: Visitor) async throws -> [[String: Any]] {
        let page = try await console.api.get(
            "/v1/units",
            query: [("parent", code), ("limit", String(Self.childLimit))],
            as: Wire.Page<Wire.Unit>.self,
            context: visitor.context
        ).body
        return page.items.map { describe($0, visitor) }
    }

    private func communes(of district: Int, selected: String?, _ visitor: Visitor) async throws -> [[String: Any]] {
        let page = try await console.api.get(
            "/v1/units",
            query: [("parent", String(district)), ("level", "commune"), ("limit", String(Self.childLimit))],
            as: Wire.Page<Wire.Unit>.self,
            context: visitor.context
        ).body
        return page.items.map { ["value": $0.code, "label": $0.name, "selected": $0.code == selected] }
    }

    private func kinds(selected: String?, _ visitor: Visitor) -> [[String: Any]] {
        words.choices(HamletKind.allCases.map(\.rawValue), prefix: "hamlet_kind_", selected: selected, language: visitor.language)
    }
}
