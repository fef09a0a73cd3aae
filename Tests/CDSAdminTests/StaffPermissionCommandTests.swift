import CDSDatabase
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// A district IT officer's day with the permission commands, through a real server: the province admin makes a
/// district admin for Mường La (120), who makes a commune officer, and cannot reach Quỳnh Nhai (118).
@Suite struct StaffPermissionCommandTests {
    @Test func aDistrictAdminForMuongLaMakesAnOfficerAndCannotReachQuynhNhai() async throws {
        try await AdminCLITestCase.run { server in
            let province = server.adminToken
            #expect(
                await server.cli(["users", "add", "muongla-admin", "--display-name", "Lò Văn Hùng", "--unit", "120"], token: province).status == 0
            )
            #expect(await server.cli(["grant", "district_admin", "--user", "muongla-admin", "--unit", "120"], token: province).status == 0)
            let issued = await server.cli(["tokens", "issue", "--user", "muongla-admin", "--expires", "30d"], token: province)
            #expect(issued.status == 0, "\(issued.error)")
            let muongLa = issued.output.trimmingCharacters(in: .newlines)
            #expect(muongLa.hasPrefix("cds_") && !muongLa.contains("\n"))

            #expect(await server.cli(["users", "add", "ngoc", "--unit", "120"], token: muongLa).status == 0)
            #expect(await server.cli(["grant", "commune_officer", "--user", "ngoc", "--unit", "3808"], token: muongLa).status == 0)
            let quynhNhaiCommune = try await server.db.superuserRows(
                "SELECT code FROM cds.units WHERE district_code = 118 AND level = 'commune' ORDER BY code LIMIT 1",
                as: Int.self
            )[0]
            let outside = await server.cli(["grant", "commune_officer", "--user", "ngoc", "--unit", "\(quynhNhaiCommune)"], token: muongLa)
            #expect(outside.status == 3, "\(outside.error)")
            #expect(outside.error.hasPrefix("cds-admin: Permission denied"))
            #expect(await server.cli(["grant", "district_admin", "--user", "ngoc", "--unit", "118"], token: muongLa).status == 3)

            let csv = await server.cli(["users", "list", "-o", "csv"], token: muongLa)
            #expect(csv.output.hasPrefix("name,display name,status,home,grants\n"))
            #expect(csv.output.contains("ngoc,,active,120,commune_officer@3808"))
            #expect(!csv.output.contains("tinh"))

            // A dry run says what would change and changes nothing.
            let dry = await server.cli(["users", "disable", "ngoc", "--dry-run"], token: muongLa)
            #expect(dry.output == "would set ngoc from active to disabled (dry run: nothing changed)\n")
            let officer = await server.cli(["tokens", "issue", "--user", "ngoc"], token: muongLa).output.trimmingCharacters(in: .newlines)
            #expect(await server.cli(["whoami"], token: officer).status == 0)
            #expect(await server.cli(["users", "disable", "ngoc"], token: muongLa).status == 0)
            #expect(await server.cli(["whoami"], token: officer).status == 3)
            #expect(await server.cli(["users", "enable", "ngoc"], token: muongLa).status == 0)
            #expect(await server.cli(["revoke", "commune_officer", "--user", "ngoc", "--unit", "3808"], token: muongLa).status == 0)
            let gone = await server.cli(["revoke", "commune_officer", "--user", "ngoc", "--unit", "3808"], token: muongLa)
            #expect(gone.status == 4)

            let roles = await server.cli(["roles", "show", "commune_officer", "-o", "csv"], token: muongLa)
            #expect(roles.output.hasPrefix("permission\n"))
            #expect(roles.output.contains("members.manage") && !roles.output.contains("users.manage"))
            #expect(await server.cli(["roles", "show", "king"], token: muongLa).status == 4)
            let grants = await server.cli(["grants", "list", "--unit", "120", "-o", "json"], token: muongLa)
            let listedGrants = try JSONSerialization.jsonObject(with: Data(grants.output.utf8)) as? [[String: Any]]
            #expect(listedGrants?.map { $0["user"] as? String } == ["muongla-admin"])

            let tokens = await server.cli(["tokens", "list", "--user", "ngoc", "-o", "json"], token: muongLa)
            let listed = try JSONSerialization.jsonObject(with: Data(tokens.output.utf8)) as? [[String: Any]]
            #expect(listed?.count == 1)
            let id = try #require(listed?.first?["id"] as? String)
            #expect(await server.cli(["tokens", "revoke", id], token: muongLa).status == 0)
            #expect(await server.cli(["tokens", "revoke", "not-an-id"], token: muongLa).status == 2)
            #expect(await server.cli(["tokens", "issue", "--expires", "12h"], token: muongLa).status == 2)
        }
    }

    /// `users reset-two-step`: the province admin removes the second factor of an account whose person lost the phone;
    /// the dry run changes nothing, and an account without one is left as it is.
    @Test func aLostPhonesSecondFactorIsRemoved() async throws {
        try await AdminCLITestCase.run { server in
            let province = server.adminToken
            #expect(await server.cli(["users", "add", "tinh-vp", "--unit", "14"], token: province).status == 0)
            #expect(await server.cli(["users", "reset-two-step", "tinh-vp"], token: province).status == 0)
            let id = try await server.db.superuserRows("SELECT id FROM cds.principals WHERE name = 'tinh-vp'", as: UUID.self)[0]
            let started = try await Database.withDatabase(server.db.application, logger: TestDatabase.logger) { app in
                try await ControlPlane(database: app).startTOTP(for: id, actor: .operator("test"))
            }
            #expect(started)
            let count = "SELECT count(*)::int FROM cds.staff_totp"
            #expect(await server.cli(["users", "reset-two-step", "tinh-vp", "--dry-run"], token: province).status == 0)
            #expect(try await server.db.superuserRows(PostgresQuery(stringLiteral: count), as: Int.self) == [1])
            let reset = await server.cli(["users", "reset-two-step", "tinh-vp"], token: province)
            #expect(reset.status == 0, "\(reset.error)")
            #expect(try await server.db.superuserRows(PostgresQuery(stringLiteral: count), as: Int.self) == [0])
        }
    }
}
