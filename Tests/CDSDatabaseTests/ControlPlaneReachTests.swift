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

    /// An account and the token an operator issued it: what the tokens it issues are issued with.
    struct Agent {
        let id: UUID
        let token: UUID
    }

    /// An account at home on `unit`, with `role` there and a token.
    private static func account(
        _ name: String,
        role: String,
        unit: Int,
        on plane: ControlPlane
    ) async throws -> Agent {
        let id = try await plane.createStaffUser(name: name, displayName: nil, homeUnit: unit, actor: actor)
        try await plane.grant(role: role, unitCode: unit, to: id, grantedBy: nil, actor: actor)
        return Agent(id: id, token: try await plane.issueToken(for: id, issuedWith: nil, label: nil, expiresAt: nil, actor: actor).id)
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
                _ = try await plane.issueToken(for: officer.id, issuedWith: district.token, label: nil, expiresAt: nil, actor: Self.actor)
                await #expect {
                    try await plane.issueToken(for: province.id, issuedWith: district.token, label: nil, expiresAt: nil, actor: Self.actor)
                } throws: { ($0 as? ControlPlaneError)?.code == .notPermitted }
                await #expect {
                    try await plane.issueToken(for: district.id, issuedWith: officer.token, label: nil, expiresAt: nil, actor: Self.actor)
                } throws: { ($0 as? ControlPlaneError)?.code == .notPermitted }
                let tokens = try await db.superuserRows("SELECT count(*) FROM cds.credentials WHERE issued_with IS NOT NULL", as: Int.self)
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
                let delegated = try await plane.issueToken(for: officer.id, issuedWith: district.token, label: nil, expiresAt: nil, actor: Self.actor)
                let own = try await plane.issueToken(for: officer.id, issuedWith: officer.token, label: nil, expiresAt: nil, actor: Self.actor)
                #expect(try await plane.authenticate(token: delegated.token) != nil)

                try await plane.grant(role: "auditor", unitCode: 116, to: officer.id, grantedBy: nil, actor: .operator("province"))
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

    /// A unit import that moves a commune to another district changes what its old district's admin reaches: the
    /// tokens that admin issued for the commune's officer are revoked in the import's transaction, recorded as the
    /// import's doing. The importer does it itself, so that it also happens on a Citus cluster, where the unit tree
    /// has no triggers.
    @Test func aUnitImportThatMovesACommuneRevokesTheTokensItsIssuerNoLongerCovers() async throws {
        try await TestDatabase.withFresh { db in
            let delegated = try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let district = try await Self.account("muongla", role: "district_admin", unit: 120, on: plane)
                let officer = try await Self.account("itong", role: "commune_officer", unit: 3808, on: plane)
                return try await plane.issueToken(for: officer.id, issuedWith: district.token, label: nil, expiresAt: nil, actor: Self.actor)
            }
            let (name, division, order) = try await db.superuserRows(
                "SELECT name, division_type, display_order FROM cds.units WHERE code = 3808",
                as: (String, String, Int).self
            )[0]
            let summary = try await Database.withDatabase(db.owner, logger: TestDatabase.logger) { owner in
                try await UnitImporter(database: owner).importCSV(
                    "code,name,level,division_type,parent_code,display_order\n3808,\(name),commune,\(division),116,\(order)\n"
                )
            }
            #expect(summary == .init(inserted: 0, updated: 1, unchanged: 0))
            let stillValid = try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                try await ControlPlane(database: app).authenticate(token: delegated.token) != nil
            }
            #expect(!stillValid)
            let revoked = try await db.superuserRows(
                """
                SELECT c.revocation_reason, a.actor FROM cds.credentials c
                JOIN cds.control_audit_log a ON a.entity = 'credentials' AND a.entity_key = c.id::text AND a.action = 'update'
                WHERE c.id = \(delegated.id)
                """,
                as: (String, String).self
            )
            #expect(revoked.map(\.0) == ["issuer_no_longer_covers"])
            #expect(revoked.map(\.1) == ["operator:units-import"])
        }
    }

    @Test func tokensAnIssuerMadeForOthersEndWithItsReachOrItsAccount() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let first = try await Self.account("muongla", role: "district_admin", unit: 120, on: plane)
                let second = try await Self.account("muongla2", role: "district_admin", unit: 120, on: plane)
                let officer = try await Self.account("itong", role: "commune_officer", unit: 3808, on: plane)
                let byFirst = try await plane.issueToken(for: officer.id, issuedWith: first.token, label: nil, expiresAt: nil, actor: Self.actor)
                let bySecond = try await plane.issueToken(for: officer.id, issuedWith: second.token, label: nil, expiresAt: nil, actor: Self.actor)

                let grant = try #require(try await plane.staffAccount(id: first.id)?.grants.first)
                try await plane.revokeGrant(id: grant.id, actor: Self.actor)
                #expect(try await plane.authenticate(token: byFirst.token) == nil)
                #expect(try await plane.authenticate(token: bySecond.token) != nil)

                try await plane.updateStaffUser(id: second.id, displayName: nil, status: "disabled", actor: Self.actor)
                #expect(try await plane.authenticate(token: bySecond.token) == nil)
                // Enabling the issuer again does not bring its revoked tokens back.
                try await plane.updateStaffUser(id: second.id, displayName: nil, status: "active", actor: Self.actor)
                #expect(try await plane.authenticate(token: bySecond.token) == nil)
            }
        }
    }

    /// The holder of a token for another account cannot keep that account's reach by issuing it a token of its own:
    /// a token issued with another dies with it, and never outlives it.
    @Test func aTokenIssuedWithAnotherEndsWithIt() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let district = try await Self.account("muongla", role: "district_admin", unit: 120, on: plane)
                let officer = try await Self.account("itong", role: "commune_officer", unit: 3808, on: plane)
                let soon = Date(timeIntervalSinceNow: 86_400)
                let delegated = try await plane.issueToken(
                    for: officer.id,
                    issuedWith: district.token,
                    label: nil,
                    expiresAt: soon,
                    actor: Self.actor
                )
                let second = try await plane.issueToken(
                    for: officer.id,
                    issuedWith: delegated.id,
                    label: nil,
                    expiresAt: Date(timeIntervalSinceNow: 365 * 86_400),
                    actor: Self.actor
                )
                let third = try await plane.issueToken(for: officer.id, issuedWith: second.id, label: nil, expiresAt: nil, actor: Self.actor)
                let expiries = try await db.superuserRows(
                    "SELECT issued_by, expires_at FROM cds.credentials WHERE id IN (\(second.id), \(third.id))",
                    as: (UUID, Date?).self
                )
                #expect(expiries.allSatisfy { $0.0 == officer.id && $0.1.map { abs($0.timeIntervalSince(soon)) < 1 } == true })

                try await plane.grant(role: "auditor", unitCode: 116, to: officer.id, grantedBy: nil, actor: Self.actor)
                for token in [delegated, second, third] {
                    #expect(try await plane.authenticate(token: token.token) == nil)
                }
                let reasons = try await db.superuserRows(
                    "SELECT revocation_reason FROM cds.credentials WHERE id IN (\(second.id), \(third.id))",
                    as: String.self
                )
                #expect(reasons == ["issuing_token_revoked", "issuing_token_revoked"])
                await #expect {
                    try await plane.issueToken(for: officer.id, issuedWith: delegated.id, label: nil, expiresAt: nil, actor: Self.actor)
                } throws: { ($0 as? ControlPlaneError)?.code == .notPermitted }
            }
        }
    }
}
