import CDSCore
import CDSHTTP
import CDSWire

/// The units a grant reaches, as the options of a form's unit field: each whole district, then its communes; then
/// the single communes of commune grants. Names as the registry holds them.
struct OrganisingUnits {
    let api: StaffAPI

    func options(_ reach: AccessPolicy.Reach, selected: String?, _ visitor: Visitor) async throws -> [[String: Any]] {
        var units: [Wire.Unit] = []
        for district in reach.districts.map(\.rawValue).sorted() {
            units.append(try await api.get("/v1/units/\(district)", as: Wire.Unit.self, context: visitor.context).body)
            units += try await api.all(
                "/v1/units",
                query: [("parent", String(district)), ("level", "commune")],
                as: Wire.Unit.self,
                context: visitor.context
            )
        }
        for commune in reach.communes.sorted() {
            units.append(try await api.get("/v1/units/\(commune)", as: Wire.Unit.self, context: visitor.context).body)
        }
        return units.map { unit in
            let label = unit.level == "commune" ? "\u{2003}" + unit.name : unit.name
            return ["value": unit.code, "label": label, "selected": unit.code == selected]
        }
    }
}
