import CDSCore
import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

@Suite struct ControlPlaneTests {
    static let actor = AuditActor.operator("test")

    @Test func aTokenAuthenticatesItsPrincipalWithGrantsUntilRevoked() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let alice = try await plane.createStaffUser(name: "alice", displayName: "Lò Thị  Ín", homeUnit: 14, actor: Self.actor)
                try await plane.grant(role: "district_admin", unitCode: 116, to: alice, grantedBy: nil, actor: Self.actor)
                try await plane.grant(role: "district_admin", unitCode: 116, to: alice, grantedBy: nil, actor: Self.actor)
                let issued = try await plane.issueToken(for: alice, issuedWith: nil, label: "laptop", expiresAt: nil, actor: Self.actor)
                #expect(issued.token.hasPrefix("cds_"))
                #expect(issued.token.count == 47)

                let principal = try #require(try await plane.authenticate(token: issued.token))
                #expect(principal.id == alice)
                #expect(principal.grants == [.init(role: "district_admin", unitCode: 116)])
                #expect(principal.auditActor.label == "user:alice")

                #expect(try await plane.authenticate(token: "cds_" + String(repeating: "A", count: 43)) == nil)
                #expect(try await plane.authenticate(token: "") == nil)
                try await plane.revokeToken(id: issued.id, actor: Self.actor)
                #expect(try await plane.authenticate(token: issued.token) == nil)
                await #expect(throws: ControlPlaneError.self) { try await plane.revokeToken(id: issued.id, actor: Self.actor) }

                let stored = try await db.superuserRows(
                    "SELECT encode(secret_sha256, 'hex') FROM cds.credentials",
                    as: String.self
                )
                #expect(stored.count == 1)
                #expect(!stored[0].contains(issued.token))
                let audited = try await db.superuserRows(
                    "SELECT entity || ':' || action FROM cds.control_audit_log ORDER BY id",
                    as: String.self
                )
                #expect(audited == ["principals:insert", "grants:insert", "credentials:insert", "credentials:update"])
            }
        }
    }

    @Test func expiredTokensAndDisabledAccountsAreRefused() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let bob = try await plane.createStaffUser(name: "bob", displayName: nil, homeUnit: 14, actor: Self.actor)
                let expired = try await plane.issueToken(for: bob, issuedWith: nil, label: nil, expiresAt: Date(timeIntervalSinceNow: -1), actor: Self.actor)
                #expect(try await plane.authenticate(token: expired.token) == nil)
                let current = try await plane.issueToken(for: bob, issuedWith: nil, label: nil, expiresAt: Date(timeIntervalSinceNow: 3600), actor: Self.actor)
                #expect(try await plane.authenticate(token: current.token) != nil)
                try await app.withTenantScope(.init([]), actor: Self.actor) { tx in
                    try await tx.query("UPDATE cds.principals SET status = 'disabled' WHERE id = \(bob)")
                }
                #expect(try await plane.authenticate(token: current.token) == nil)
            }
        }
    }

    @Test func badNamesTakenNamesAndUnknownUnitsAreRefused() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                for name in ["A", "Alice", "al ice", "-alice", "nguyễn"] {
                    await #expect { try await plane.createStaffUser(name: name, displayName: nil, homeUnit: 14, actor: Self.actor) } throws: {
                        ($0 as? ControlPlaneError)?.code == .invalid
                    }
                }
                let carol = try await plane.createStaffUser(name: "carol", displayName: nil, homeUnit: 14, actor: Self.actor)
                await #expect { try await plane.createStaffUser(name: "carol", displayName: nil, homeUnit: 14, actor: Self.actor) } throws: {
                    ($0 as? ControlPlaneError)?.code == .conflict
                }
                await #expect {
                    try await plane.grant(role: "district_admin", unitCode: 424242, to: carol, grantedBy: nil, actor: Self.actor)
                } throws: {
                    ($0 as? ControlPlaneError)?.code == .notFound
                }
                await #expect { try await plane.grant(role: "emperor", unitCode: 116, to: carol, grantedBy: nil, actor: Self.actor) } throws: {
                    ($0 as? ControlPlaneError)?.code == .notFound
                }
                let grants = try await db.superuserRows("SELECT count(*)::int FROM cds.grants", as: Int.self)
                #expect(grants == [0])
            }
        }
    }

    @Test func theAccessPolicyOfAGrantFollowsTheReferenceUnits() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let policy = AccessPolicy(
                    grants: [.init(role: "commune_officer", unitCode: 3808)],
                    rolePermissions: try await plane.rolePermissions(),
                    hierarchy: try await plane.unitHierarchy()
                )
                #expect(policy.districts == [TenantID(120)])
                #expect(policy.permits(.membersReadPersonal, on: 3808))
                #expect(!policy.permits(.membersReadPersonal, on: 3811))
                #expect(!policy.permits(.usersManage, on: 3808))
                let province = AccessPolicy(
                    grants: [.init(role: "province_admin", unitCode: 14)],
                    rolePermissions: try await plane.rolePermissions(),
                    hierarchy: try await plane.unitHierarchy()
                )
                #expect(province.districts.count == 12)
            }
        }
    }
}
