import CDSCore
import CDSDatabase
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// Invitations, passwords and console sessions in the control plane: one use per link, the issuer's reach, sessions
/// that end at once, and no password hash in the audit log.
@Suite struct ConsoleSignInTests {
    static let actor = AuditActor.operator("test")
    static let password = "Bản Mòng 2026 xanh"

    /// A control plane whose bcrypt is cheap: the tests check what is stored and refused, not bcrypt's cost.
    static func plane(_ app: Database) -> ControlPlane { ControlPlane(database: app, passwordCost: 4) }

    @Test func anInvitationSetsAPasswordOnceAndTheSessionWorksUntilSignOut() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = Self.plane(app)
                let hoa = try await plane.createStaffUser(name: "hoa", displayName: "Lò Thị Hoa", homeUnit: 120, actor: Self.actor)
                try await plane.grant(role: "district_admin", unitCode: 120, to: hoa, grantedBy: nil, actor: Self.actor)
                let link = try await plane.invite(account: hoa, issuedBy: hoa, actor: Self.actor)
                #expect(link.token.hasPrefix("cdsi_"))
                #expect(try await plane.invitedAccount(token: link.token)?.displayName == "Lò Thị Hoa")

                // A password that breaks the rules changes nothing: the link stays open.
                await #expect(throws: ValidationError.self) { try await plane.acceptInvitation(token: link.token, password: "short", requestID: nil) }
                await #expect(throws: ValidationError.self) {
                    try await plane.acceptInvitation(token: link.token, password: "hoa-hoa-hoa-hoa", requestID: nil)
                }
                #expect(try await plane.signIn(name: "hoa", password: "short", requestID: nil) == nil)

                #expect(try await plane.acceptInvitation(token: link.token, password: Self.password, requestID: nil)?.id == hoa)
                #expect(try await plane.acceptInvitation(token: link.token, password: "another password", requestID: nil) == nil)
                #expect(try await plane.invitedAccount(token: link.token) == nil)

                #expect(try await plane.signIn(name: "hoa", password: "Bản Mòng 2026 xanh!", requestID: nil) == nil)
                #expect(try await plane.signIn(name: "nobody", password: Self.password, requestID: nil) == nil)
                let signedIn = try #require(try await plane.signIn(name: "hoa", password: Self.password, requestID: nil))
                #expect(signedIn.session.hasPrefix("cdss_"))
                let session = try #require(try await plane.authenticate(session: signedIn.session))
                #expect(session.principal.id == hoa)
                #expect(session.principal.grants.map(\.unitCode) == [120])
                #expect(session.language == "vi")

                // The session's secret is no bearer token, and a bearer token no session.
                #expect(try await plane.authenticate(token: signedIn.session) == nil)
                let token = try await plane.issueToken(for: hoa, issuedWith: nil, label: nil, expiresAt: nil, actor: Self.actor).token
                #expect(try await plane.authenticate(session: token) == nil)

                try await plane.endSession(signedIn.session, actor: session.principal.auditActor)
                #expect(try await plane.authenticate(session: signedIn.session) == nil)
            }
        }
    }

    @Test func aDisabledAccountsSessionsEndAtOnceAndItCannotSignIn() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = Self.plane(app)
                let hoa = try await Self.accountWithPassword("hoa", on: plane)
                let signedIn = try #require(try await plane.signIn(name: "hoa", password: Self.password, requestID: nil))
                try await plane.updateStaffUser(id: hoa, displayName: nil, status: "disabled", actor: Self.actor)
                #expect(try await plane.authenticate(session: signedIn.session) == nil)
                #expect(try await plane.signIn(name: "hoa", password: Self.password, requestID: nil) == nil)
                let link = try await plane.invite(account: hoa, issuedBy: hoa, actor: Self.actor)
                #expect(try await plane.acceptInvitation(token: link.token, password: "a new password", requestID: nil) == nil)
            }
        }
    }

    @Test func aNewPasswordEndsEverySessionAndANewLinkReplacesTheOld() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = Self.plane(app)
                let hoa = try await Self.accountWithPassword("hoa", on: plane)
                let signedIn = try #require(try await plane.signIn(name: "hoa", password: Self.password, requestID: nil))
                let first = try await plane.invite(account: hoa, issuedBy: hoa, actor: Self.actor)
                let second = try await plane.invite(account: hoa, issuedBy: hoa, actor: Self.actor)
                #expect(try await plane.invitedAccount(token: first.token) == nil)
                #expect(try await plane.acceptInvitation(token: second.token, password: "Nà Nghịu 2026 mới", requestID: nil) != nil)
                #expect(try await plane.authenticate(session: signedIn.session) == nil)
                #expect(try await plane.signIn(name: "hoa", password: Self.password, requestID: nil) == nil)
                #expect(try await plane.signIn(name: "hoa", password: "Nà Nghịu 2026 mới", requestID: nil) != nil)
            }
        }
    }

    /// The control plane's rule 9 for links: a link is the power to act as the account, so a district administrator
    /// cannot issue one for a province administrator, even past the API, and an outstanding one dies with the
    /// issuer's reach.
    @Test func anInvitationNeverGivesItsIssuerMoreThanItHolds() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = Self.plane(app)
                let district = try await plane.createStaffUser(name: "district", displayName: nil, homeUnit: 120, actor: Self.actor)
                try await plane.grant(role: "district_admin", unitCode: 120, to: district, grantedBy: nil, actor: Self.actor)
                let province = try await plane.createStaffUser(name: "province", displayName: nil, homeUnit: 14, actor: Self.actor)
                try await plane.grant(role: "province_admin", unitCode: 14, to: province, grantedBy: nil, actor: Self.actor)
                await #expect {
                    try await plane.invite(account: province, issuedBy: district, actor: Self.actor)
                } throws: { ($0 as? ControlPlaneError)?.code == .notPermitted }

                let officer = try await plane.createStaffUser(name: "officer", displayName: nil, homeUnit: 120, actor: Self.actor)
                try await plane.grant(role: "commune_officer", unitCode: 3811, to: officer, grantedBy: nil, actor: Self.actor)
                let link = try await plane.invite(account: officer, issuedBy: district, actor: Self.actor)
                #expect(try await plane.invitedAccount(token: link.token) != nil)
                // The officer is granted Quỳnh Nhai too: its issuer no longer covers it, and the link dies.
                try await plane.grant(role: "commune_officer", unitCode: 3682, to: officer, grantedBy: nil, actor: Self.actor)
                #expect(try await plane.invitedAccount(token: link.token) == nil)
                #expect(try await plane.acceptInvitation(token: link.token, password: Self.password, requestID: nil) == nil)
            }
        }
    }

    @Test func theAuditLogRecordsAPasswordChangeButNeverTheHash() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let hoa = try await Self.accountWithPassword("hoa", on: Self.plane(app))
                let images = try await db.superuserRows(
                    "SELECT coalesce(after::text, '') FROM cds.control_audit_log WHERE entity LIKE '%staff_passwords'",
                    as: String.self
                )
                #expect(images.count == 1)
                #expect(images.allSatisfy { $0.contains("\"password_bcrypt\": \"redacted\"") && $0.contains(hoa.uuidString.lowercased()) })
                let stored = try await db.superuserRows("SELECT password_bcrypt FROM cds.staff_passwords", as: String.self)
                #expect(stored.count == 1 && stored.allSatisfy { $0.hasPrefix("$2") })
                #expect(images.allSatisfy { image in stored.allSatisfy { !image.contains($0) } })
            }
        }
    }

    /// An account at home in Mường La with the district's administrator role and a password.
    static func accountWithPassword(_ name: String, on plane: ControlPlane) async throws -> UUID {
        let id = try await plane.createStaffUser(name: name, displayName: nil, homeUnit: 120, actor: actor)
        try await plane.grant(role: "district_admin", unitCode: 120, to: id, grantedBy: nil, actor: actor)
        let link = try await plane.invite(account: id, issuedBy: id, actor: actor)
        _ = try #require(try await plane.acceptInvitation(token: link.token, password: password, requestID: nil))
        return id
    }
}
