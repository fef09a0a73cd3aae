import CDSWire
import Synchronization

/// The registry's names for the unit codes a page shows, so that lists name "Bản Nà Cang – Xã Chiềng Sinh" rather
/// than `3646-001`. Districts and communes are national reference data, changed only by a migration: they are read
/// once and kept (the province too). Hamlets are renamed in the console: they are read for each page, one request per commune shown.
final class UnitNames: Sendable {
    private let national = Mutex<[String: String]?>(nil)

    /// A label per code of `codes` (district, commune or hamlet codes); a code the registry does not name is its
    /// own label.
    func labels(_ codes: some Sequence<String>, api: StaffAPI, visitor: Visitor) async throws -> [String: String] {
        let names = try await nationalNames(api: api, visitor: visitor)
        let wanted = Set(codes)
        var hamlets: [String: String] = [:]
        for commune in Set(wanted.filter { $0.contains("-") }.compactMap { $0.split(separator: "-").first.map(String.init) }) {
            for hamlet in try await api.all("/v1/units", query: [("parent", commune)], as: Wire.Unit.self, context: visitor.context) {
                hamlets[hamlet.code] = hamlet.name
            }
        }
        var labels: [String: String] = [:]
        for code in wanted {
            if let hamlet = hamlets[code], let commune = code.split(separator: "-").first.flatMap({ names[String($0)] }) {
                labels[code] = "\(hamlet) – \(commune)"
            } else {
                labels[code] = names[code] ?? code
            }
        }
        return labels
    }

    private func nationalNames(api: StaffAPI, visitor: Visitor) async throws -> [String: String] {
        if let names = national.withLock({ $0 }) { return names }
        var names: [String: String] = [:]
        for level in ["province", "district", "commune"] {
            for unit in try await api.all("/v1/units", query: [("level", level)], as: Wire.Unit.self, context: visitor.context) {
                names[unit.code] = unit.name
            }
        }
        national.withLock { $0 = names }
        return names
    }
}
