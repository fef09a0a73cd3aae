/// What a set of grants holds, worked out from the unit tree and the roles' permissions alone: the property test's
/// independent account of the rules, against which the API and the database are checked.
struct ReachOracle: Sendable {
    struct Grant: Hashable, Sendable, CustomStringConvertible {
        let role: String
        let unit: Int
        var description: String { "\(role)@\(unit)" }
    }

    /// Each national unit's parent.
    let parents: [Int: Int]
    let permissions: [String: Set<String>]

    /// Whether `grants` give `permission` on `unit`: a grant of a role with it on the unit or one of its ancestors.
    func holds(_ grants: [Grant], _ permission: String, on unit: Int) -> Bool {
        var lineage: Set<Int> = [unit]
        var current = unit
        while let parent = parents[current] {
            lineage.insert(parent)
            current = parent
        }
        return grants.contains { lineage.contains($0.unit) && permissions[$0.role, default: []].contains(permission) }
    }

    /// Whether `wider` hold every (permission, unit) pair that `narrower` give.
    func covers(_ wider: [Grant], _ narrower: [Grant]) -> Bool {
        narrower.allSatisfy { grant in
            permissions[grant.role, default: []].allSatisfy { holds(wider, $0, on: grant.unit) }
        }
    }

    /// Whether a caller with `grants` manages an account at home on `home` with `accountGrants`.
    func manages(_ grants: [Grant], home: Int, accountGrants: [Grant]) -> Bool {
        holds(grants, "users.manage", on: home) && accountGrants.allSatisfy { holds(grants, "users.manage", on: $0.unit) }
    }
}

extension ReachOracle {
    /// Whether `grants` give `permission` on some unit.
    func holdsAnywhere(_ grants: [Grant], _ permission: String) -> Bool {
        grants.contains { permissions[$0.role, default: []].contains(permission) }
    }
}
