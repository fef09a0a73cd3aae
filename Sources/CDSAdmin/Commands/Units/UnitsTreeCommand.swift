import ArgumentParser
import CDSCore
import CDSDatabase
import CDSWire
import Foundation

/// `cds-admin units tree`: the unit hierarchy as the caller sees it through the admin API (the national units, and
/// the hamlets of the districts its grants reach).
struct UnitsTreeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Print the unit hierarchy under a unit (the province by default); retired hamlets are left out."
    )

    @OptionGroup var staff: StaffOptions

    @Argument(help: "The code of the unit at the top: a GSO code, or a hamlet code such as 3646-001.")
    var code: String?

    @Option(help: "How many levels below the top to print (all by default).")
    var depth: Int?

    func validate() throws {
        if let depth, depth < 0 { throw ValidationError("--depth must be 0 or more") }
    }

    func run() async throws {
        let client = try staff.client()
        let root: Wire.Unit
        if let code {
            root = try await client.get(try UnitsStaffCommands.path(code), as: Wire.Unit.self)
        } else {
            guard let province = try await client.all("/v1/units", query: ["level": "province"], as: Wire.Unit.self).first else {
                throw AdminError.notFound("the server knows no province: import the national units first (cds-admin units import)")
            }
            root = province
        }
        // Only the levels the tree shows, each fetched whole: a few pages instead of a request per unit.
        let levels: [UnitLevel] = [.province, .district, .commune, .hamlet]
        guard let top = levels.firstIndex(where: { $0.rawValue == root.level }) else {
            throw AdminError.failure("the server answered a unit of level '\(root.level)', which this cds-admin does not know")
        }
        let bottom = min(levels.count - 1, top + (depth ?? levels.count))
        var units = [root]
        for level in levels[(top + 1)..<(bottom + 1)] {
            units += try await client.all("/v1/units", query: ["level": level.rawValue], as: Wire.Unit.self)
        }
        let today = todayInVietnam()
        let current = units.filter { unit in unit.validTo.map { $0 > today } ?? true }.compactMap { unit in
            UnitLevel(rawValue: unit.level).map {
                UnitTree.Unit(code: unit.code, name: unit.name, level: $0, divisionType: unit.divisionType, parentCode: unit.parentCode)
            }
        }
        guard let tree = UnitTree.build(current, rootCode: root.code, depth: depth) else {
            throw AdminError.notFound("the unit \(root.code) is retired")
        }
        var lines: [String] = []
        func walk(_ node: UnitTree.Node, prefix: String, isLast: Bool, isRoot: Bool) {
            lines.append((isRoot ? "" : prefix + (isLast ? "└─ " : "├─ ")) + "\(node.code)  \(node.name)")
            let childPrefix = isRoot ? "" : prefix + (isLast ? "   " : "│  ")
            for (index, child) in node.children.enumerated() {
                walk(child, prefix: childPrefix, isLast: index == node.children.count - 1, isRoot: false)
            }
        }
        walk(tree, prefix: "", isLast: true, isRoot: true)
        Console.print(lines.joined(separator: "\n"))
    }
}
