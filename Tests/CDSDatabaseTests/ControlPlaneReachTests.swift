import CDSCore
import CDSDatabase
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// The schema's half of the control plane's tenancy: whatever writes the tables (the API, cds-admin, psql as the
/// application role), a role is granted only at its level, and a token issued for another account never gives its
/// issuer more than it holds.
@Suite struct ControlPlaneReachTests {
    static let actor = AuditActor.operator("test")

    /// An account at home on `unit`, with `role` there.
    private static func account(
        _ name: String,
        role: String,
        unit: Int,
        on plane: ControlPlane
    ) async throws -> UUID {
        let id = try await plane.createStaffUser(name: name, displayName: nil, homeUnit: unit, actor: actor)
        try await plane.grant(role: role, unitCode: unit, to: id, grantedBy: nil, actor: actor)
        return id
    }

    @Test func aRoleIsGrantedOnlyAtItsLevelWhoeverWritesTheGrant() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let lan = try await plane.createStaffUser(name: "lan", displayName: nil, homeUnit: 14, actor: Self.actor)
                for (role, unit) in [("province_admin", 120), ("district_admin", 14), ("commune_officer", 116), ("auditor", 14)] {
                    await #expect {
                        try await plane.grant(role: role, unitCode: unit, to: lan, grantedBy: nil, actor: Self.actor)
                    } throws: { ($0 as? ControlPlaneError)?.code == .wrongLevel }
                    // The same grant written directly, as the application role, past the Swift check.
                    await #expect(throws: PSQLError.self, "\(role) on \(unit)") {
                        try await app.withTransaction { connection in
                            try await connection.query(
                                "SELECT set_config('cds.actor', 'test', true)",
                                logger: TestDatabase.logger
                            )
                            try await connection.query(
                                "INSERT INTO cds.grants (principal_id, role, unit_code) VALUES (\(lan), \(role), \(unit))",
                                logger: TestDatabase.logger
                            )
                        }
                    }
                }
                for (role, unit) in [("province_admin", 14), ("district_admin", 116), ("district_admin", 3646), ("commune_officer", 3646)] {
                    try await plane.grant(role: role, unitCode: unit, to: lan, grantedBy: nil, actor: Self.actor)
                }
                #expect(try await plane.staffAccount(id: lan)?.grants.count == 4)
            }
        }
    }

    @Test func aTokenForAnotherAccountIsRefusedWhenItsIssuerDoesNotHoldEverythingTheAccountHolds() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let district = try await Self.account("muongla", role: "district_admin", unit: 120, on: plane)
                let officer = try await Self.account("itong", role: "commune_officer", unit: 3808, on: plane)
                let province = try await Self.account("tinh", role: "province_admin", unit: 14, on: plane)
                _ = try await plane.issueToken(for: officer, issuedBy: district, label: nil, expiresAt: nil, actor: Self.actor)
                await #expect {
                    try await plane.issueToken(for: province, issuedBy: district, label: nil, expiresAt: nil, actor: Self.actor)
                } throws: { ($0 as? ControlPlaneError)?.code == .notPermitted }
                await #expect {
                    try await plane.issueToken(for: district, issuedBy: officer, label: nil, expiresAt: nil, actor: Self.actor)
                } throws: { ($0 as? ControlPlaneError)?.code == .notPermitted }
                let tokens = try await db.superuserRows("SELECT count(*) FROM cds.credentials", as: Int.self)
                #expect(tokens == [1])
            }
        }
    }

    /// The reach of a token's account grows past its issuer's, or the issuer's shrinks: the token is revoked in the
    /// same transaction, with the reason, and the audit log records it; tokens the account issued itself stay.
    @Test func aDelegatedTokenIsRevokedWhenItsAccountOutgrowsItsIssuer() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let district = try await Self.account("muongla", role: "district_admin", unit: 120, on: plane)
                let officer = try await Self.account("itong", role: "commune_officer", unit: 3808, on: plane)
                let delegated = try await plane.issueToken(for: officer, issuedBy: district, label: nil, expiresAt: nil, actor: Self.actor)
                let own = try await plane.issueToken(for: officer, issuedBy: officer, label: nil, expiresAt: nil, actor: Self.actor)
                #expect(try await plane.authenticate(token: delegated.token) != nil)

                try await plane.grant(role: "auditor", unitCode: 116, to: officer, grantedBy: nil, actor: .operator("province"))
                #expect(try await plane.authenticate(token: delegated.token) == nil)
                #expect(try await plane.authenticate(token: own.token) != nil)
                let revoked = try await db.superuserRows(
                    "SELECT revocation_reason FROM cds.credentials WHERE id = \(delegated.id) AND revoked_at IS NOT NULL",
                    as: String.self
                )
                #expect(revoked == ["issuer_no_longer_covers"])
                let audited = try await db.superuserRows(
                    """
                    SELECT actor, changed_fields FROM cds.control_audit_log
                    WHERE entity = 'credentials' AND entity_key = \(delegated.id.uuidString.lowercased()) AND action = 'update'
                    """,
                    as: (String, [String]).self
                )
                #expect(audited.count == 1)
                #expect(audited.first?.0 == "operator:province")
                #expect(audited.first?.1.contains("revocation_reason") == true)
            }
        }
    }

    @Test func tokensAnIssuerMadeForOthersEndWithItsReachOrItsAccount() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let first = try await Self.account("muongla", role: "district_admin", unit: 120, on: plane)
                let second = try await Self.account("muongla2", role: "district_admin", unit: 120, on: plane)
                let officer = try await Self.account("itong", role: "commune_officer", unit: 3808, on: plane)
                let byFirst = try await plane.issueToken(for: officer, issuedBy: first, label: nil, expiresAt: nil, actor: Self.actor)
                let bySecond = try await plane.issueToken(for: officer, issuedBy: second, label: nil, expiresAt: nil, actor: Self.actor)

                let grant = try #require(try await plane.staffAccount(id: first)?.grants.first)
                try await plane.revokeGrant(id: grant.id, actor: Self.actor)
                #expect(try await plane.authenticate(token: byFirst.token) == nil)
                #expect(try await plane.authenticate(token: bySecond.token) != nil)

                try await plane.updateStaffUser(id: second, displayName: nil, status: "disabled", actor: Self.actor)
                #expect(try await plane.authenticate(token: bySecond.token) == nil)
                // Enabling the issuer again does not bring its revoked tokens back.
                try await plane.updateStaffUser(id: second, displayName: nil, status: "active", actor: Self.actor)
                #expect(try await plane.authenticate(token: bySecond.token) == nil)
            }
        }
    }
}
