import CDSCore

/// The unit hierarchy as a tree, built from a flat list of units (as `GET /v1/units` pages them).
public struct UnitTree: Sendable {
    public struct Node: Hashable, Sendable {
        public let code: String
        public let name: String
        public let level: UnitLevel
        public let divisionType: String
        public var children: [Node]
    }

    /// One unit of the list.
    public struct Unit: Hashable, Sendable {
        public let code: String
        public let name: String
        public let level: UnitLevel
        public let divisionType: String
        public let parentCode: String?

        public init(code: String, name: String, level: UnitLevel, divisionType: String, parentCode: String?) {
            self.code = code
            self.name = name
            self.level = level
            self.divisionType = divisionType
            self.parentCode = parentCode
        }
    }

    /// The subtree under `rootCode` (the unit without a parent when `nil`), `depth` levels deep (all when `nil`),
    /// children in the list's order.
    /// - Returns: `nil` when the list has no such unit.
    public static func build(_ units: [Unit], rootCode: String?, depth: Int?) -> Node? {
        var children: [String: [Unit]] = [:]
        var byCode: [String: Unit] = [:]
        for unit in units {
            byCode[unit.code] = unit
            if let parent = unit.parentCode { children[parent, default: []].append(unit) }
        }
        func build(_ unit: Unit, remaining: Int?) -> Node {
            let kids = remaining == 0 ? [] : (children[unit.code] ?? []).map { build($0, remaining: remaining.map { $0 - 1 }) }
            return Node(code: unit.code, name: unit.name, level: unit.level, divisionType: unit.divisionType, children: kids)
        }
        guard let root = rootCode.map({ byCode[$0] }) ?? units.first(where: { $0.parentCode == nil }) else { return nil }
        return build(root, remaining: depth)
    }
}
