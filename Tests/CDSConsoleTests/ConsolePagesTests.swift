import CDSDatabase
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// The console's pages beyond the members': each opens for those it is for and refuses the rest as the API does,
/// another district's records are the missing page and stay as they were, and the forms go through the API's rules.
@Suite struct ConsolePagesTests {
    static let password = "Mường La 2026 bản Mòng"

    /// A district's records beyond the ``TwoDistricts`` fixture: a training session and a feedback report with the
    /// citizen's contact, inserted as the district's own transaction.
    struct Records {
        let training: UUID
        let report: String
    }

    static func insertRecords(_ api: AdminAPITestCase, _ district: TwoDistricts.District) async throws -> Records {
        try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
            try await app.withTenantScope(.district(district.tenant), actor: .operator("test")) { tx in
                let training = try await tx.rows(
                    """
                    INSERT INTO cds.training_sessions (tenant_id, commune_code, held_on, topic, mode)
                    VALUES (\(district.tenant), \(district.communeCode), '2023-09-01', 'Dịch vụ công trực tuyến', 'online') RETURNING id
                    """,
                    as: UUID.self
                )[0]
                let code = "PAKN-2026-800\(district.tenant)"
                let report = try await tx.rows(
                    """
                    INSERT INTO cds.feedback_reports (tenant_id, tracking_code, category_code, commune_code, handling_level, description, due_at)
                    VALUES (\(district.tenant), \(code), 'giao-thong', \(district.communeCode), 'district', 'Đường vào bản bị sạt lở',
                            now() - interval '1 day')
                    RETURNING id
                    """,
                    as: Int64.self
                )[0]
                try await tx.query(
                    """
                    INSERT INTO cds.feedback_contacts (tenant_id, report_id, contact_name, contact_phone)
                    VALUES (\(district.tenant), \(report), 'Cầm Văn Liên', '0912345678')
                    """
                )
                return Records(training: training, report: code)
            }
        }
    }

    private static func signedIn(_ api: AdminAPITestCase, as account: String) async throws -> ConsoleBrowser {
        try await ConsoleBrowser.choosePassword(api, account: account, password: password)
        let browser = ConsoleBrowser(api)
        try await browser.signIn(account, password: password)
        return browser
    }

    @Test func everyPageOpensForTheDistrictAdminAndStaysSmall() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let records = try await Self.insertRecords(api, fixture.a)
            let browser = try await Self.signedIn(api, as: "district")
            let pages = [
                "/console/units", "/console/units/116", "/console/units/3646", "/console/units/\(fixture.a.hamletCode)", "/console/teams",
                "/console/teams?q=na+cang", "/console/trainings", "/console/trainings/new",
                "/console/trainings/\(records.training.uuidString.lowercased())", "/console/activities", "/console/activities/new",
                "/console/feedback", "/console/feedback?overdue=true", "/console/feedback/\(records.report)", "/console/reports/establishment",
                "/console/reports/coverage", "/console/reports/trainings", "/console/reports/activities?from=01/01/2023&to=31/12/2026",
                "/console/audit", "/console/audit?action=read_personal", "/console/users", "/console/users/new",
            ]
            for page in pages {
                let answer = try await browser.get(page)
                #expect(answer.status == 200, "\(page): \(answer.status)")
                #expect(answer.html.contains("<h1>"), "\(page)")
                #expect(answer.html.utf8.count < 100_000, "\(page) is \(answer.html.utf8.count) bytes")
                #expect(answer.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true, "\(page)")
            }
            #expect(try await browser.get("/console/reports").location == "/console/reports/establishment")
            // Words in the visitor's language, numbers and dates as Vietnamese write them.
            let feedback = try await browser.get("/console/feedback")
            #expect(feedback.html.contains("Quá hạn") && feedback.html.contains(records.report))
            let training = try await browser.get("/console/trainings")
            #expect(training.html.contains("01/09/2023"))
            // Units by the registry's names, not their codes.
            let names = try await api.db.superuserRows(
                "SELECT h.name, c.name FROM cds.hamlets h JOIN cds.units c ON c.code = h.commune_code WHERE h.code = \(fixture.a.hamletCode)",
                as: (String, String).self
            )
            let label = try #require(names.first.map { "\($0.0) – \($0.1)" })
            for page in ["/console/teams", "/console/members"] {
                #expect(try await browser.get(page).html.contains(label), "\(page) names \(label)")
            }
            #expect(training.html.contains(names[0].1))
        }
    }

    @Test func anotherDistrictsRecordsAreTheMissingPageAndStayAsTheyWere() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let records = try await Self.insertRecords(api, fixture.a)
            let missingTraining = "00000000-0000-4000-8000-000000000000"
            let snapshot = """
                SELECT (SELECT string_agg(code || name || coalesce(valid_to::text, ''), ',') FROM cds.hamlets WHERE tenant_id = 116)
                    || (SELECT count(*)::text FROM cds.feedback_updates WHERE tenant_id = 116)
                    || (SELECT string_agg(status || coalesce(assignee_id::text, ''), ',') FROM cds.feedback_reports WHERE tenant_id = 116)
                    || (SELECT count(*)::text FROM cds.training_attendance WHERE tenant_id = 116)
                    || (SELECT count(*)::text FROM cds.members WHERE tenant_id = 116 AND left_on IS NOT NULL)
                    || (SELECT count(*)::text FROM cds.audit_log WHERE tenant_id = 116 AND action = 'read_personal')
                """
            let before = try await api.db.superuserRows(PostgresQuery(unsafeSQL: snapshot), as: String.self)
            let browser = try await Self.signedIn(api, as: "muongla")
            let csrf = try #require(try await browser.get("/console/units").hidden("_csrf"))
            let probes: [(foreign: String, missing: String, form: [String: String]?)] = [
                ("/console/units/\(fixture.a.hamletCode)", "/console/units/3646-999", nil),
                ("/console/units/\(fixture.a.hamletCode)/edit", "/console/units/3646-999/edit", ["name": "Bản Đổi", "version": "\"1\""]),
                (
                    "/console/members/\(fixture.a.memberID.uuidString.lowercased())/leave", "/console/members/\(missingTraining)/leave",
                    ["left_on": "01/12/2026", "version": "\"1\""]
                ),
                ("/console/feedback/\(records.report)", "/console/feedback/PAKN-2026-000000", nil),
                ("/console/feedback/\(records.report)/note", "/console/feedback/PAKN-2026-000000/note", ["note": "Đã xem"]),
                ("/console/feedback/\(records.report)/assignee", "/console/feedback/PAKN-2026-000000/assignee", ["assign": "me"]),
                ("/console/feedback/\(records.report)/transition", "/console/feedback/PAKN-2026-000000/transition", ["status": "accepted"]),
                ("/console/trainings/\(records.training.uuidString.lowercased())", "/console/trainings/\(missingTraining)", nil),
                (
                    "/console/trainings/\(records.training.uuidString.lowercased())/attendance", "/console/trainings/\(missingTraining)/attendance",
                    ["listed": fixture.a.memberID.uuidString.lowercased(), "member_\(fixture.a.memberID.uuidString.lowercased())": "on"]
                ),
            ]
            for probe in probes {
                let foreign: ConsoleBrowser.Page
                let missing: ConsoleBrowser.Page
                if let form = probe.form {
                    foreign = try await browser.post(probe.foreign, form.merging(["_csrf": csrf]) { $1 })
                    missing = try await browser.post(probe.missing, form.merging(["_csrf": csrf]) { $1 })
                } else {
                    foreign = try await browser.get(probe.foreign)
                    missing = try await browser.get(probe.missing)
                }
                #expect(foreign.status == 404, "\(probe.foreign): \(foreign.status)")
                #expect(
                    foreign.status == missing.status && foreign.html == missing.html,
                    "\(probe.foreign): \(foreign.status), \(probe.missing): \(missing.status)"
                )
                #expect(!foreign.html.contains("Cầm Văn Liên") && !foreign.html.contains("sạt lở"), "\(probe.foreign)")
            }
            let after = try await api.db.superuserRows(PostgresQuery(unsafeSQL: snapshot), as: String.self)
            #expect(before == after)
        }
    }

    @Test func aHamletIsAddedAndAStaleRenameSavesNothing() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            // A commune officer does not keep the unit tree: no form is offered, and a post is refused.
            let officer = try await Self.signedIn(api, as: "officer")
            let seen = try await officer.get("/console/units/3646")
            #expect(seen.status == 200 && !seen.html.contains("/hamlets\""))
            let officerToken = try #require(seen.hidden("_csrf"))
            #expect(try await officer.post("/console/units/3646/hamlets", ["_csrf": officerToken, "name": "Bản Mới", "kind": "ban"]).status == 403)
            let browser = try await Self.signedIn(api, as: "district")
            let commune = try await browser.get("/console/units/3646")
            let csrf = try #require(commune.hidden("_csrf"))
            #expect(commune.html.contains("action=\"/console/units/3646/hamlets\""))
            // Nor may a district admin keep another district's: 3808 is Mường La's.
            #expect(try await browser.post("/console/units/3808/hamlets", ["_csrf": csrf, "name": "Bản Mới", "kind": "ban"]).status == 403)
            let invalid = try await browser.post("/console/units/3646/hamlets", ["_csrf": csrf, "name": "", "kind": "ban"])
            #expect(invalid.status == 422 || invalid.status == 400)
            let added = try await browser.post("/console/units/3646/hamlets", ["_csrf": csrf, "name": "Bản Hua Ít", "kind": "ban"])
            #expect(added.status == 303)
            let location = try #require(added.location)
            let hamlet = try await browser.get(location)
            #expect(hamlet.html.contains("Bản Hua Ít"))
            let version = try #require(hamlet.hidden("version"))
            // Someone renames it first: the form's rename is refused, nothing is saved, the page says so.
            let code = String(location.dropFirst("/console/units/".count))
            let etag = try await api.etag("/v1/units/\(code)", as: "district")
            #expect(try await api.send(.patch, "/v1/units/\(code)", as: "district", body: #"{"name":"Bản Hua Ít Mới"}"#, ifMatch: etag).status == 200)
            let stale = try await browser.post(
                "/console/units/\(code)/edit",
                ["_csrf": csrf, "version": version, "name": "Bản Hua Ít Cũ", "kind": "ban", "commune_code": "3646"]
            )
            #expect(stale.status == 412)
            #expect(stale.html.contains("Người khác vừa sửa"))
            let names = try await api.db.superuserRows("SELECT name FROM cds.hamlets WHERE code = \(code)", as: String.self)
            #expect(names == ["Bản Hua Ít Mới"])
            // With the version the refusal page carries, the change is a decision, and it is saved; retiring too.
            let retired = try await browser.post(
                "/console/units/\(code)/edit",
                ["_csrf": csrf, "version": try #require(stale.hidden("version")), "name": "Bản Hua Ít", "valid_to": "31/12/2026"]
            )
            #expect(retired.status == 303)
            let now = try await api.db.superuserRows("SELECT name, valid_to::text FROM cds.hamlets WHERE code = \(code)", as: (String, String?).self)
            #expect(now.first?.0 == "Bản Hua Ít" && now.first?.1 == "2026-12-31")
            _ = fixture
        }
    }

    @Test func aMemberWhoLeftIsRecordedWithTheVersionSeen() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let id = fixture.a.memberID.uuidString.lowercased()
            let browser = try await Self.signedIn(api, as: "district")
            let page = try await browser.get("/console/members/\(id)")
            let csrf = try #require(page.hidden("_csrf"))
            let version = try #require(page.hidden("version"))
            #expect(page.html.contains("action=\"/console/members/\(id)/leave\""))
            // Someone changes the member meanwhile: the departure is not recorded over a version not seen.
            let etag = try await api.etag("/v1/members/\(id)", as: "district")
            #expect(try await api.send(.patch, "/v1/members/\(id)", as: "district", body: #"{"trained":true}"#, ifMatch: etag).status == 200)
            let stale = try await browser.post("/console/members/\(id)/leave", ["_csrf": csrf, "version": version, "left_on": "01/12/2026"])
            #expect(stale.status == 412)
            let fresh = try #require(stale.hidden("version"))
            #expect(try await browser.post("/console/members/\(id)/leave", ["_csrf": csrf, "version": fresh, "left_on": "hôm qua"]).status == 400)
            #expect(try await browser.post("/console/members/\(id)/leave", ["_csrf": csrf, "version": fresh, "left_on": "01/12/2026"]).status == 303)
            let left = try await api.db.superuserRows("SELECT left_on::text FROM cds.members WHERE id = \(fixture.a.memberID)", as: String?.self)
            #expect(left == ["2026-12-01"])
            #expect(!(try await browser.get("/console/members/\(id)").html.contains("/leave\"")))
        }
    }

    @Test func theCitizensContactIsShownToHandlersOnlyAndEachViewAudited() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let records = try await Self.insertRecords(api, fixture.a)
            let reads = "SELECT count(*) FROM cds.audit_log WHERE tenant_id = 116 AND entity = 'feedback_contacts' AND action = 'read_personal'"
            let handler = try await Self.signedIn(api, as: "district")
            let page = try await handler.get("/console/feedback/\(records.report)")
            #expect(page.status == 200)
            #expect(page.html.contains("Cầm Văn Liên") && page.html.contains("0912345678"))
            // The category by the name the province's catalogue gives it.
            let category = try await api.db.superuserRows("SELECT name FROM cds.feedback_categories WHERE code = 'giao-thong'", as: String.self)
            #expect(page.html.contains(try #require(category.first)))
            // What the report does not have is not shown as an empty line: no answer yet, no address, no email.
            #expect(!page.html.contains("Trả lời lúc") && !page.html.contains("Địa chỉ") && !page.html.contains("Thư điện tử"))
            #expect(try await api.db.superuserRows(PostgresQuery(unsafeSQL: reads), as: Int.self) == [1])
            // The handler's forms: a transition with a public answer, a note, taking it.
            let csrf = try #require(page.hidden("_csrf"))
            let moved = try await handler.post(
                "/console/feedback/\(records.report)/transition",
                ["_csrf": csrf, "status": "accepted", "public_message": "Đã tiếp nhận, sẽ cử người kiểm tra."]
            )
            #expect(moved.status == 303)
            #expect(try await handler.post("/console/feedback/\(records.report)/note", ["_csrf": csrf, "note": "Gọi lại sau"]).status == 303)
            #expect(try await handler.post("/console/feedback/\(records.report)/assignee", ["_csrf": csrf, "assign": "me"]).status == 303)
            // A move the workflow does not allow is refused in words, and changes nothing.
            let refused = try await handler.post("/console/feedback/\(records.report)/transition", ["_csrf": csrf, "status": "closed"])
            #expect(refused.status == 409 || refused.status == 422)
            let status = try await api.db.superuserRows(
                "SELECT status FROM cds.feedback_reports WHERE tracking_code = \(records.report)",
                as: String.self
            )
            #expect(status == ["accepted"])
            let after = try await handler.get("/console/feedback/\(records.report)")
            #expect(after.html.contains("Đã tiếp nhận, sẽ cử người kiểm tra.") && after.html.contains("Gọi lại sau"))
            #expect(after.html.contains("Thôi nhận xử lý"))
            // A commune officer of the report's commune reads it (a district-level report is not theirs to handle):
            // no contact, no forms, and no read of personal data recorded.
            let before = try await api.db.superuserRows(PostgresQuery(unsafeSQL: reads), as: Int.self)
            let officer = try await Self.signedIn(api, as: "officer")
            let seen = try await officer.get("/console/feedback/\(records.report)")
            if seen.status == 200 {
                #expect(!seen.html.contains("Cầm Văn Liên") && !seen.html.contains("0912345678"))
                #expect(!seen.html.contains("/transition\""))
            } else {
                #expect(seen.status == 404)
            }
            #expect(try await api.db.superuserRows(PostgresQuery(unsafeSQL: reads), as: Int.self) == before)
        }
    }

    @Test func attendanceRecordsTheTicksAndRefusesAMemberOfAnotherUnit() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let records = try await Self.insertRecords(api, fixture.a)
            let browser = try await Self.signedIn(api, as: "district")
            let path = "/console/trainings/\(records.training.uuidString.lowercased())"
            let page = try await browser.get(path)
            let csrf = try #require(page.hidden("_csrf"))
            let listed = try #require(page.hidden("listed"))
            let member = fixture.a.memberID.uuidString.lowercased()
            #expect(listed.contains(member))
            let attendance = "SELECT count(*) FROM cds.training_attendance WHERE session_id = '\(records.training)'"
            // A member of another district smuggled into the form: refused, nothing recorded.
            let foreign = fixture.b.memberID.uuidString.lowercased()
            let smuggled = try await browser.post(
                path + "/attendance",
                ["_csrf": csrf, "listed": listed + " " + foreign, "member_\(member)": "on", "member_\(foreign)": "on"]
            )
            #expect(smuggled.status == 422)
            #expect(try await api.db.superuserRows(PostgresQuery(unsafeSQL: attendance), as: Int.self) == [0])
            #expect(try await browser.post(path + "/attendance", ["_csrf": csrf, "listed": listed, "member_\(member)": "on"]).status == 303)
            #expect(try await api.db.superuserRows(PostgresQuery(unsafeSQL: attendance), as: Int.self) == [1])
            #expect(try await browser.get(path).html.contains("checked"))
            // Unticked: no longer recorded as attending.
            #expect(try await browser.post(path + "/attendance", ["_csrf": csrf, "listed": listed]).status == 303)
            #expect(try await api.db.superuserRows(PostgresQuery(unsafeSQL: attendance), as: Int.self) == [0])
            // A new session and an activity recorded through the forms.
            let created = try await browser.post(
                "/console/trainings/new",
                ["_csrf": csrf, "unit_code": "3646", "held_on": "15/10/2026", "topic": "Thanh toán không dùng tiền mặt", "mode": "in_person"]
            )
            #expect(created.status == 303)
            let activity = try await browser.post(
                "/console/activities/new",
                [
                    "_csrf": csrf, "team_id": fixture.a.teamID.uuidString.lowercased(), "held_on": "16/10/2026", "topic": "cashless_payment",
                    "residents_reached": "1.250",
                ]
            )
            #expect(activity.status == 303)
            let reached = try await api.db.superuserRows(
                "SELECT residents_reached FROM cds.guidance_activities WHERE tenant_id = 116",
                as: Int.self
            )
            #expect(reached == [1250])
            let bad = try await browser.post(
                "/console/activities/new",
                ["_csrf": csrf, "team_id": "x", "held_on": "", "topic": "", "residents_reached": "nhiều"]
            )
            #expect(bad.status == 400 || bad.status == 422)
        }
    }

    @Test func reportsAndTheMembersListDownloadAsTheAPIsCSV() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let browser = try await Self.signedIn(api, as: "district")
            for name in ["establishment", "coverage", "trainings", "activities"] {
                let page = try await browser.get("/console/reports/\(name).csv")
                #expect(page.status == 200, "\(name)")
                #expect(page.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(page.headers[.contentDisposition]?.contains("\(name).csv") == true)
                let direct = try await api.client.execute(
                    uri: "/v1/reports/\(name)?format=csv",
                    method: .get,
                    headers: [.authorization: "Bearer \(api.tokens["district"]!)"]
                ) { String(buffer: $0.body) }
                #expect(page.html == direct, "\(name)")
                #expect(page.html.hasPrefix("\u{FEFF}"))
            }
            #expect(try await browser.get("/console/reports/nothing.csv").status == 404)
            #expect(try await browser.get("/console/reports/activities.csv?from=hôm+qua").status == 400)
            let export = try await browser.get("/console/members/export?q=lo+van")
            #expect(export.status == 200)
            let lines = export.html.dropFirst().split(separator: "\n")
            #expect(export.html.hasPrefix("\u{FEFF}id,team_id,full_name,gender,birth_year,ethnicity,phone,role"))
            #expect(lines.count == 2 && lines[1].hasPrefix(fixture.a.memberID.uuidString.lowercased()))
            // The officer's list is the officer's: the other district's member is never in it.
            #expect(!export.html.contains(fixture.b.memberID.uuidString.lowercased()))
        }
    }

    @Test func accountsAreManagedExactlyAsTheAPIAllows() async throws {
        try await AdminAPITestCase.run { api in
            _ = try await api.insertTwoDistricts()
            let officer = try await Self.signedIn(api, as: "officer")
            #expect(try await officer.get("/console/users").status == 403)
            #expect(!(try await officer.get("/console/units").html.contains("/console/users\"")))
            let admin = try await Self.signedIn(api, as: "district")
            let form = try await admin.get("/console/users/new")
            let csrf = try #require(form.hidden("_csrf"))
            let created = try await admin.post(
                "/console/users/new",
                ["_csrf": csrf, "name": "lo-thi-hoa", "display_name": "Lò Thị Hoa", "home_unit_code": "3646"]
            )
            #expect(created.status == 303)
            let account = try #require(created.location)
            #expect(try await admin.post(account + "/grant", ["_csrf": csrf, "role": "commune_officer", "unit_code": "3646"]).status == 303)
            // A grant in another district is beyond the admin's reach: refused in words, nothing granted.
            let beyond = try await admin.post(account + "/grant", ["_csrf": csrf, "role": "commune_officer", "unit_code": "3808"])
            #expect(beyond.status == 403 || beyond.status == 404 || beyond.status == 422)
            let grants = try await api.db.superuserRows(
                "SELECT g.unit_code FROM cds.grants g JOIN cds.principals p ON p.id = g.principal_id WHERE p.name = 'lo-thi-hoa'",
                as: Int.self
            )
            #expect(grants == [3646])
            let invited = try await admin.post(account + "/invite", ["_csrf": csrf])
            #expect(invited.status == 200)
            #expect(invited.html.contains("/console/invitation/"))
            #expect(try await admin.post(account + "/disable", ["_csrf": csrf]).status == 303)
            let status = try await api.db.superuserRows("SELECT status FROM cds.principals WHERE name = 'lo-thi-hoa'", as: String.self)
            #expect(status == ["disabled"])
            // The forms need the session's token like every other.
            #expect(try await admin.post(account + "/enable", ["_csrf": "forged"]).status == 403)
        }
    }

    @Test func hostileNamesAreShownAsText() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let records = try await Self.insertRecords(api, fixture.a)
            let hostile = "<script>alert(1)</script>"
            try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                try await app.withTenantScope(.district(116), actor: .operator("test")) { tx in
                    try await tx.query("UPDATE cds.teams SET name = \(hostile + " Tổ") WHERE id = \(fixture.a.teamID)")
                    try await tx.query("UPDATE cds.hamlets SET name = \(hostile + " Bản") WHERE code = \(fixture.a.hamletCode)")
                    try await tx.query("UPDATE cds.feedback_reports SET description = \(hostile) WHERE tracking_code = \(records.report)")
                }
            }
            let browser = try await Self.signedIn(api, as: "district")
            for page in ["/console/teams", "/console/units/3646", "/console/units/\(fixture.a.hamletCode)", "/console/feedback/\(records.report)"] {
                let answer = try await browser.get(page)
                #expect(answer.status == 200, "\(page)")
                #expect(!answer.html.contains(hostile), "\(page)")
                #expect(answer.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(page)")
            }
        }
    }
}
