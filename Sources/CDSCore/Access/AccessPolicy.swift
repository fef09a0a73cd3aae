/// What a principal may do, from its grants: a grant gives a role on a unit and covers the unit's subtree.
///
/// The policy yields the tenant scope of the principal's transactions (every district its grants reach)
/// and answers whether a permission holds on a given unit. Row-level security does the row filtering;
/// this is the application's check on top (a commune officer of commune X cannot edit a team of commune Y).
public struct AccessPolicy: Sendable {
    /// A role held on a unit.
    public struct Grant: Hashable, Sendable {
        public let role: String
        public let unitCode: Int

        public init(role: String, unitCode: Int) {
            self.role = role
            self.unitCode = unitCode
        }
    }

    public let grants: [Grant]
    private let rolePermissions: [String: Set<Permission>]
    private let hierarchy: UnitHierarchy

    public init(grants: [Grant], rolePermissions: [String: Set<Permission>], hierarchy: UnitHierarchy) {
        self.grants = grants
        self.rolePermissions = rolePermissions
        self.hierarchy = hierarchy
    }

    /// The district a district or commune belongs to.
    public func district(of unitCode: Int) -> TenantID? { hierarchy.district(of: unitCode) }

    /// The level of a national unit; `nil` for a code that is none.
    public func level(of unitCode: Int) -> UnitLevel? { hierarchy.level(of: unitCode) }

    /// Every district the grants reach.
    public var districts: Set<TenantID> {
        grants.reduce(into: []) { $0.formUnion(hierarchy.districts(under: $1.unitCode)) }
    }

    /// Whether `permission` holds on the national unit `unitCode` (for a hamlet, pass its commune).
    public func permits(_ permission: Permission, on unitCode: Int) -> Bool {
        let lineage = Set(hierarchy.lineage(of: unitCode))
        return grants.contains { lineage.contains($0.unitCode) && rolePermissions[$0.role]?.contains(permission) == true }
    }

    /// Whether `permission` holds anywhere (for lists, which RLS and the unit filter then narrow).
    public func permitsSomewhere(_ permission: Permission) -> Bool {
        grants.contains { rolePermissions[$0.role]?.contains(permission) == true }
    }

    /// Whether `permission` holds on a province: over everything, the control plane included.
    public func permitsOnProvince(_ permission: Permission) -> Bool {
        hierarchy.provinces.contains { permits(permission, on: $0) }
    }

    /// Where a permission holds: whole districts (grants on a district or the province) and single communes.
    public struct Reach: Hashable, Sendable {
        public var districts: Set<TenantID> = []
        public var communes: Set<Int> = []
        /// Every district with rows in reach: the whole districts and those of the single communes. Lists scan
        /// these one by one, each in its key order, so that a page stops early instead of sorting a district.
        public var touchedDistricts: Set<TenantID> = []
    }

    /// Where `permission` holds. Lists filter their rows with it; RLS has already cut them to the caller's districts.
    public func reach(of permission: Permission) -> Reach {
        var reach = Reach()
        for grant in grants where rolePermissions[grant.role]?.contains(permission) == true {
            if hierarchy.level(of: grant.unitCode) == .commune {
                reach.communes.insert(grant.unitCode)
                if let district = hierarchy.district(of: grant.unitCode) { reach.touchedDistricts.insert(district) }
            } else {
                let districts = hierarchy.districts(under: grant.unitCode)
                reach.districts.formUnion(districts)
                reach.touchedDistricts.formUnion(districts)
            }
        }
        return reach
    }

    /// The permissions the grants give on the national unit `unitCode`.
    public func permissions(on unitCode: Int) -> Set<Permission> {
        let lineage = Set(hierarchy.lineage(of: unitCode))
        return grants.filter { lineage.contains($0.unitCode) }.reduce(into: []) { $0.formUnion(rolePermissions[$1.role] ?? []) }
    }

    /// Whether this principal manages an account whose home is `home` and whose grants are `grants`: it holds
    /// `users.manage` over the home and over every unit the grants reach. An account without grants is managed only
    /// from its home, so that a district cannot act on the province's new accounts before they are granted anything.
    public func manages(home: Int, grants: [Grant]) -> Bool {
        permits(.usersManage, on: home) && grants.allSatisfy { permits(.usersManage, on: $0.unitCode) }
    }

    /// Whether this principal holds every (permission, unit) pair that `grants` give: what acting as their holder
    /// (through a token issued for it) would give it, which must never be more than it holds itself.
    public func holdsEverything(given grants: [Grant]) -> Bool {
        grants.allSatisfy { grant in
            (rolePermissions[grant.role] ?? []).allSatisfy { permits($0, on: grant.unitCode) }
        }
    }

    /// A principal may grant a role on a unit only with `users.manage` there, and only when the role gives
    /// nothing it does not hold there itself: no one can hand out more than they have, nor outside their subtree.
    public func mayGrant(role: String, on unitCode: Int) -> Bool {
        guard let granted = rolePermissions[role] else { return false }
        let held = permissions(on: unitCode)
        return held.contains(.usersManage) && granted.isSubset(of: held)
    }
}
