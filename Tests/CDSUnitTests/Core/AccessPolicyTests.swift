import CDSCore
import Testing

@Suite struct AccessPolicyTests {
    // Sơn La (14) → Thành phố Sơn La (116) → Chiềng Lề (3646), Tô Hiệu (3649); Mường La (120) → Ít Ong (3808).
    static let hierarchy = UnitHierarchy(units: [
        (14, nil, .province), (116, 14, .district), (3646, 116, .commune), (3649, 116, .commune),
        (120, 14, .district), (3808, 120, .commune),
    ])
    static let roles: [String: Set<Permission>] = [
        "province_admin": Set(Permission.allCases),
        "district_admin": Set(Permission.allCases),
        "commune_officer": [.teamsRead, .teamsManage, .membersRead, .membersManage],
    ]

    static func policy(_ grants: [(String, Int)]) -> AccessPolicy {
        AccessPolicy(grants: grants.map { .init(role: $0.0, unitCode: $0.1) }, rolePermissions: roles, hierarchy: hierarchy)
    }

    @Test func aGrantCoversItsSubtreeOnly() {
        let officer = Self.policy([("commune_officer", 3646)])
        #expect(officer.permits(.teamsManage, on: 3646))
        #expect(!officer.permits(.teamsManage, on: 3649))
        #expect(!officer.permits(.teamsManage, on: 116))
        #expect(!officer.permits(.usersManage, on: 3646))
        #expect(officer.districts == [TenantID(116)])

        let district = Self.policy([("district_admin", 116)])
        #expect(district.permits(.teamsManage, on: 3649))
        #expect(!district.permits(.teamsManage, on: 3808))
        #expect(district.districts == [TenantID(116)])

        let province = Self.policy([("province_admin", 14)])
        #expect(province.permits(.auditRead, on: 3808))
        #expect(province.districts == [TenantID(116), TenantID(120)])

        #expect(Self.policy([]).districts.isEmpty)
        #expect(!Self.policy([]).permits(.teamsRead, on: 3646))
        #expect(!district.permits(.teamsRead, on: 999_999))
    }

    @Test func theReachOfAPermissionIsWholeDistrictsAndSingleCommunes() {
        let mixed = Self.policy([("commune_officer", 3646), ("district_admin", 120)])
        let reach = mixed.reach(of: .teamsManage)
        #expect(reach.districts == [TenantID(120)])
        #expect(reach.communes == [3646])
        #expect(mixed.reach(of: .usersManage).communes.isEmpty)
        #expect(Self.policy([("province_admin", 14)]).reach(of: .teamsRead).districts.count == 2)
    }

    @Test func grantingNeedsUsersManageAndNoMoreThanOneHolds() {
        let district = Self.policy([("district_admin", 116)])
        #expect(district.mayGrant(role: "district_admin", on: 3646))
        #expect(district.mayGrant(role: "district_admin", on: 116))
        #expect(district.mayGrant(role: "commune_officer", on: 3649))
        #expect(!district.mayGrant(role: "district_admin", on: 120))
        #expect(!district.mayGrant(role: "district_admin", on: 14))
        #expect(!district.mayGrant(role: "no_such_role", on: 116))
        #expect(!Self.policy([("commune_officer", 3646)]).mayGrant(role: "commune_officer", on: 3646))
        // users.manage on a subtree, but a role with more than the grantor holds there: refused.
        let manager = AccessPolicy(
            grants: [.init(role: "user_manager", unitCode: 116)],
            rolePermissions: Self.roles.merging(["user_manager": [.usersManage, .teamsRead]]) { $1 },
            hierarchy: Self.hierarchy
        )
        #expect(!manager.mayGrant(role: "commune_officer", on: 3646))
        #expect(manager.mayGrant(role: "user_manager", on: 3646))
    }
}
