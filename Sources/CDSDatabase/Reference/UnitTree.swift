import CDSCore
import PostgresNIO

/// The unit hierarchy as a tree, national units and the hamlets of the scoped districts.
public struct UnitTree: Sendable {
    public struct Node: Hashable, Sendable {
        public let code: String
        public let name: String
        public let level: UnitLevel
        public let divisionType: String
        public var children: [Node]
    }

    /// The subtree under `rootCode` (the province when `nil`), `depth` levels deep (all when `nil`).
    ///
    /// Hamlets come through RLS: only those of the districts in the transaction's scope.
    /// - Returns: `nil` when no unit has that code (or it is a hamlet outside the scope).
    public static func load(rootCode: String?, depth: Int?, in transaction: borrowing TenantTransaction) async throws -> Node? {
        let rows = try await transaction.rows(
            """
            SELECT code, name, level, division_type, parent_code
            FROM cds.unit_tree
            WHERE valid_to IS NULL OR valid_to > current_date
            ORDER BY display_order, code
            """,
            as: (String, String, String, String, String?).self
        )
        var children: [String: [(String, String, String, String)]] = [:]
        var byCode: [String: (String, String, String, String)] = [:]
        var roots: [String] = []
        for (code, name, level, division, parent) in rows {
            byCode[code] = (code, name, level, division)
            if let parent { children[parent, default: []].append((code, name, level, division)) } else { roots.append(code) }
        }
        func build(_ code: String, remaining: Int?) -> Node? {
            guard let (code, name, level, division) = byCode[code], let unitLevel = UnitLevel(rawValue: level) else { return nil }
            let kids: [Node] =
                remaining == 0 ? [] : (children[code] ?? []).compactMap { build($0.0, remaining: remaining.map { $0 - 1 }) }
            return Node(code: code, name: name, level: unitLevel, divisionType: division, children: kids)
        }
        guard let root = rootCode ?? roots.first else { return nil }
        return build(root, remaining: depth)
    }
}
