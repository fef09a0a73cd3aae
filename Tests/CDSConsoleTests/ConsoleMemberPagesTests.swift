import CDSDatabase
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// The members' pages: another district's member is the missing page, a stale edit shows both versions and saves
/// nothing, a sheet with one faulty line writes nothing and names the line, and what a role may not do it cannot.
@Suite struct ConsoleMemberPagesTests {
    static let password = "Mường La 2026 bản Mòng"

    /// A browser signed in as `account` (a name of the harness's tokens), or as `name` holding the token `account`.
    private static func signedIn(_ api: AdminAPITestCase, as account: String, name: String? = nil) async throws -> ConsoleBrowser {
        try await ConsoleBrowser.choosePassword(api, account: account, password: password)
        let browser = ConsoleBrowser(api)
        try await browser.signIn(name ?? account, password: password)
        return browser
    }

    @Test func anotherDistrictsMemberIsTheMissingPage() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let browser = try await Self.signedIn(api, as: "muongla")
            let own = try await browser.get("/console/members/\(fixture.b.memberID.uuidString.lowercased())")
            #expect(own.status == 200)
            #expect(own.html.contains("Lò Văn Ươn"))
            let foreign = try await browser.get("/console/members/\(fixture.a.memberID.uuidString.lowercased())")
            let missing = try await browser.get("/console/members/00000000-0000-4000-8000-000000000000")
            #expect(foreign.status == 404 && missing.status == 404)
            #expect(foreign.html == missing.html)
            #expect(!foreign.html.contains("Lò Văn Ươn"))
            for page in ["/console/members/\(fixture.a.memberID.uuidString.lowercased())/edit", "/console/no-such-page"] {
                let answer = try await browser.get(page)
                #expect(answer.status == 404, "\(page)")
                #expect(answer.html.contains("Không tìm thấy"), "\(page)")
            }
            // A change posted for another district's member is refused alike, and changes nothing.
            let form = try await browser.get("/console/members")
            let posted = try await browser.post(
                "/console/members/\(fixture.a.memberID.uuidString.lowercased())/edit",
                [
                    "_csrf": form.hidden("_csrf") ?? "", "full_name": "Đổi Tên", "team_id": fixture.a.teamID.uuidString.lowercased(),
                    "version": "\"1\"",
                ]
            )
            #expect(posted.status == 404)
            let name = try await api.db.superuserRows("SELECT full_name FROM cds.members WHERE id = \(fixture.a.memberID)", as: String.self)
            #expect(name == ["Lò Văn Ươn"])
        }
    }

    @Test func aStaleEditShowsBothVersionsAndSavesNothing() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let id = fixture.b.memberID.uuidString.lowercased()
            let browser = try await Self.signedIn(api, as: "muongla")
            let edit = try await browser.get("/console/members/\(id)/edit")
            #expect(edit.status == 200)
            let version = try #require(edit.hidden("version"))
            let csrf = try #require(edit.hidden("_csrf"))
            let etag = try await api.etag("/v1/members/\(id)", as: "muongla")
            #expect(try await api.send(.patch, "/v1/members/\(id)", as: "muongla", body: #"{"ethnicity":"Thái"}"#, ifMatch: etag).status == 200)
            var fields = [
                "_csrf": csrf, "version": version, "team_id": fixture.b.teamID.uuidString.lowercased(), "full_name": "Lò Văn Ươn",
                "ethnicity": "Mông", "role": "leader", "affiliation": "resident",
            ]
            let conflict = try await browser.post("/console/members/\(id)/edit", fields)
            #expect(conflict.status == 409)
            #expect(conflict.html.contains("người khác đã sửa"))
            #expect(conflict.html.contains("Thái") && conflict.html.contains("Mông"))
            let kept = try await api.db.superuserRows("SELECT ethnicity FROM cds.members WHERE id = \(fixture.b.memberID)", as: String?.self)
            #expect(kept == ["Thái"])
            // The conflict page carries the current version: saving again is a decision, and it is saved.
            let currentVersion = try #require(conflict.hidden("version"))
            fields["version"] = currentVersion
            let saved = try await browser.post("/console/members/\(id)/edit", fields)
            #expect(saved.status == 303)
            let now = try await api.db.superuserRows("SELECT ethnicity FROM cds.members WHERE id = \(fixture.b.memberID)", as: String?.self)
            #expect(now == ["Mông"])
        }
    }

    @Test func aSheetWithOneFaultyLineWritesNothingAndNamesTheLine() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let team = fixture.b.teamID.uuidString.lowercased()
            let browser = try await Self.signedIn(api, as: "muongla")
            let form = try await browser.get("/console/members/import")
            let csrf = try #require(form.hidden("_csrf"))
            let before = try await api.db.superuserRows("SELECT count(*)::int FROM cds.members", as: Int.self)
            // Cells pasted from a spreadsheet: tab-separated, the bad year on line 3.
            let pasted = "team_id\tfull_name\tbirth_year\n\(team)\tQuàng Văn Nhập\t1990\n\(team)\tLường Thị Sai\tnăm nay\n"
            let local = try await browser.post("/console/members/import", ["_csrf": csrf, "sheet": pasted])
            #expect(local.status == 422)
            #expect(local.html.contains("<td>3</td><td>birth_year</td>"))
            // A fault only the API finds (a phone that is no phone), named by its line all the same.
            let sheet = "team_id,full_name,phone\n\(team),Quàng Văn Nhập,0912345678\n\(team),Lường Thị Sai,12\n"
            let remote = try await browser.post("/console/members/import", ["_csrf": csrf, "sheet": sheet])
            #expect(remote.status == 422)
            #expect(remote.html.contains("<td>3</td><td>phone</td>"))
            #expect(try await api.db.superuserRows("SELECT count(*)::int FROM cds.members", as: Int.self) == before)
            let good = "team_id,full_name\n\(team),Quàng Văn Nhập\n"
            let imported = try await browser.post("/console/members/import", ["_csrf": csrf, "sheet": good])
            #expect(imported.status == 200)
            #expect(imported.html.contains("Đã nhập 1 thành viên"))
            // Another district's team in a sheet: refused, nothing written.
            let foreign = "team_id,full_name\n\(fixture.a.teamID.uuidString.lowercased()),Người Lạ\n"
            let refused = try await browser.post("/console/members/import", ["_csrf": csrf, "sheet": foreign])
            #expect(refused.status >= 400 && refused.status < 500)
            #expect(try await api.db.superuserRows("SELECT count(*)::int FROM cds.members WHERE full_name = 'Người Lạ'", as: Int.self) == [0])
        }
    }

    /// A file chosen on a browser without JavaScript arrives as a multipart form: read like pasted cells (an Excel
    /// byte-order mark dropped), and a file in another encoding refused by name, nothing written.
    @Test func aFileIsImportedWithoutJavaScriptAndOneNotInUTF8IsRefused() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let team = fixture.b.teamID.uuidString.lowercased()
            let browser = try await Self.signedIn(api, as: "muongla")
            let csrf = try #require(try await browser.get("/console/members/import").hidden("_csrf"))
            let count = "SELECT count(*)::int FROM cds.members WHERE full_name = 'Quàng Văn Tệp'"
            // "Quàng" in Windows-1258, as Excel's plain CSV writes it on a Vietnamese Windows: not UTF-8.
            let legacy: [UInt8] = Array("team_id,full_name\n\(team),Qu".utf8) + [0xE0] + Array("ng V\n".utf8)
            let refused = try await browser.postMultipart("/console/members/import", ["_csrf": csrf, "sheet": ""], file: ("file", legacy))
            #expect(refused.status == 422)
            #expect(refused.html.contains("CSV UTF-8"))
            let sheet = Array("\u{FEFF}team_id,full_name\r\n\(team),Quàng Văn Tệp\r\n".utf8)
            let imported = try await browser.postMultipart("/console/members/import", ["_csrf": csrf, "sheet": ""], file: ("file", sheet))
            #expect(imported.status == 200)
            #expect(imported.html.contains("Đã nhập 1 thành viên"))
            #expect(try await api.db.superuserRows(PostgresQuery(stringLiteral: count), as: Int.self) == [1])
            // The form's token is checked in a multipart form as in any other.
            let forged = try await browser.postMultipart("/console/members/import", ["_csrf": "forged"], file: ("file", sheet))
            #expect(forged.status == 403)
            #expect(try await api.db.superuserRows(PostgresQuery(stringLiteral: count), as: Int.self) == [1])
        }
    }

    @Test func anAddedMemberIsFoundWithoutDiacriticsAndAnInvalidOneIsExplained() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let team = fixture.b.teamID.uuidString.lowercased()
            let browser = try await Self.signedIn(api, as: "muongla")
            let form = try await browser.get("/console/members/new")
            #expect(form.status == 200)
            #expect(form.html.contains("value=\"\(team)\""))
            #expect(!form.html.contains(fixture.a.teamID.uuidString.lowercased()), "only the visitor's teams are offered")
            let csrf = try #require(form.hidden("_csrf"))
            // Every form needs its session's token: without it, or with another's, nothing is written.
            let fields = ["team_id": team, "full_name": "Giả Mạo", "role": "member", "affiliation": "resident"]
            for token in [nil, "x" + csrf] {
                var forged = fields
                forged["_csrf"] = token
                #expect(try await browser.post("/console/members/new", forged).status == 403)
                #expect(
                    try await browser.post("/console/members/import", ["_csrf": token ?? "", "sheet": "team_id,full_name\n\(team),Giả Mạo\n"]).status
                        == 403
                )
            }
            #expect(try await api.db.superuserRows("SELECT count(*)::int FROM cds.members WHERE full_name = 'Giả Mạo'", as: Int.self) == [0])
            // Characters PostgreSQL cannot store are the visitor's mistake, never a fault of the server's.
            let nul = try await browser.post("/console/members/new", fields.merging(["_csrf": csrf, "full_name": "Lò\u{0}Văn"]) { $1 })
            #expect(nul.status >= 400 && nul.status < 500)
            #expect(try await browser.get("/console/members?q=l%00o").status < 500)
            let invalid = try await browser.post(
                "/console/members/new",
                ["_csrf": csrf, "team_id": team, "full_name": "Lò Thị Hiền", "phone": "12", "role": "member", "affiliation": "resident"]
            )
            #expect(invalid.status == 422)
            #expect(invalid.html.contains("Số điện thoại"))
            #expect(invalid.html.contains("value=\"Lò Thị Hiền\""), "what was typed stays in the form")
            let added = try await browser.post(
                "/console/members/new",
                [
                    "_csrf": csrf, "team_id": team, "full_name": "Lò Thị Hiền", "phone": "0912 345 678", "role": "member",
                    "affiliation": "resident", "joined_on": "02/12/2026", "has_smartphone": "on",
                ]
            )
            #expect(added.status == 303)
            let page = try await browser.get(try #require(added.location))
            #expect(page.html.contains("Lò Thị Hiền") && page.html.contains("02/12/2026"))
            let found = try await browser.get("/console/members?q=lo%20thi%20hien")
            #expect(found.html.contains("Lò Thị Hiền"))
        }
    }

    @Test func anAuditorSeesNoWayToChangeAndCannotPostOne() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let auditor = try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let id = try await plane.createStaffUser(name: "kiem-tra", displayName: nil, homeUnit: 120, actor: .operator("test"))
                try await plane.grant(role: "auditor", unitCode: 120, to: id, grantedBy: nil, actor: .operator("test"))
                return try await plane.issueToken(for: id, issuedWith: nil, label: nil, expiresAt: nil, actor: .operator("test")).token
            }
            let browser = try await Self.signedIn(api, as: auditor, name: "kiem-tra")
            let list = try await browser.get("/console/members")
            #expect(list.status == 200)
            #expect(!list.html.contains("/console/members/new"))
            let posted = try await browser.post(
                "/console/members/new",
                ["_csrf": list.hidden("_csrf") ?? "", "team_id": fixture.b.teamID.uuidString.lowercased(), "full_name": "Không Được"]
            )
            #expect(posted.status == 403)
            #expect(try await api.db.superuserRows("SELECT count(*)::int FROM cds.members WHERE full_name = 'Không Được'", as: Int.self) == [0])
        }
    }

    /// Reading a member's page with personal data is audited, and the page itself says who has read it, this visit
    /// included, without recording a read of its own; another district's member is the missing page.
    @Test func theMembersPageSaysWhoReadItsPersonalData() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let id = fixture.b.memberID.uuidString.lowercased()
            let browser = try await Self.signedIn(api, as: "muongla")
            _ = try await api.get("/v1/members/\(id)", as: "province")
            let page = try await browser.get("/console/members/\(id)")
            #expect(page.html.contains("0912345678"))
            #expect(page.html.contains("<td>user:province</td>") && page.html.contains("<td>user:muongla</td>"))
            #expect(page.html.contains("/v1/members/{id}"))
            #expect(page.html.contains(try Regex(#"<td>\d{2}/\d{2}/\d{4} \d{2}:\d{2}</td>"#)), "the time as Vietnam's clock shows it")
            let reads = try await api.db.superuserRows(
                "SELECT count(*)::int FROM cds.audit_log WHERE \(id) = ANY (subjects)",
                as: Int.self
            )
            #expect(reads == [2], "the province's read and this visit, one entry each")
            let foreign = try await browser.get("/console/members/\(fixture.a.memberID.uuidString.lowercased())")
            #expect(foreign.status == 404)
            #expect(!foreign.html.contains("user:"))
        }
    }
}
