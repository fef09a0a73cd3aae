import CDSCore
import CDSDatabase
import CDSHTTP
import CDSServer
import CDSTestSupport
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

/// Every route of the router, called by an account of every built-in role: routes are read from the
/// router, so a new route that is not in ``requirement`` fails this test until someone decides who may call it.
@Suite struct RouteMatrixTests {
    enum Requirement {
        case public_
        case authenticated
        case permission(Permission)
        /// The permission on the province itself (a grant on a district is not enough).
        case provincePermission(Permission)
        /// A partner app's API key: no staff token gets in (the partner API's own tests are in CDSFeedbackTests).
        case partnerKey
        /// The web console: a session cookie, not a token; a bearer token is answered as no one (the console's own
        /// tests are in CDSConsoleTests).
        case consoleSession
    }

    /// Who may call each route.
    static let requirement: [String: Requirement] = [
        "GET /healthz": .public_, "GET /readyz": .public_, "GET /openapi.json": .public_,
        "GET /console": .consoleSession, "GET /console/members": .consoleSession, "POST /console/sign-out": .consoleSession,
        "POST /console/language": .consoleSession, "GET /console/members/new": .consoleSession, "POST /console/members/new": .consoleSession,
        "GET /console/members/import": .consoleSession, "POST /console/members/import": .consoleSession,
        "GET /console/members/{id}": .consoleSession, "GET /console/members/{id}/edit": .consoleSession,
        "POST /console/members/{id}/edit": .consoleSession, "GET /console/members/export": .consoleSession,
        "POST /console/members/{id}/leave": .consoleSession, "GET /console/two-step": .consoleSession,
        "POST /console/two-step/{action}": .consoleSession,
        "GET /console/units": .consoleSession, "GET /console/units/{code}": .consoleSession,
        "POST /console/units/{code}/hamlets": .consoleSession, "POST /console/units/{code}/edit": .consoleSession,
        "GET /console/reports": .consoleSession, "GET /console/reports/{name}": .consoleSession, "GET /console/feedback": .consoleSession,
        "GET /console/feedback/{code}": .consoleSession, "POST /console/feedback/{code}/{action}": .consoleSession,
        "GET /console/audit": .consoleSession, "GET /console/teams": .consoleSession, "GET /console/trainings": .consoleSession,
        "GET /console/trainings/new": .consoleSession, "POST /console/trainings/new": .consoleSession,
        "GET /console/trainings/{id}": .consoleSession, "POST /console/trainings/{id}/attendance": .consoleSession,
        "GET /console/activities": .consoleSession, "GET /console/activities/new": .consoleSession,
        "POST /console/activities/new": .consoleSession, "GET /console/users": .consoleSession, "GET /console/users/new": .consoleSession,
        "POST /console/users/new": .consoleSession, "GET /console/users/{id}": .consoleSession,
        "POST /console/users/{id}/{action}": .consoleSession, "GET /console/**": .public_,
        // Signing in and choosing a password are for people without a session; the files are the pages' own.
        "GET /console/sign-in": .public_, "POST /console/sign-in": .public_, "GET /console/invitation/{token}": .public_,
        "POST /console/invitation/{token}": .public_, "GET /console/static/{file}": .public_,
        // GeoReport v2: public reads; a POST carries a partner's api_key, not a staff token.
        "GET /open311/v2/{resource}": .public_, "POST /open311/v2/{resource}": .public_, "GET /open311/v2/services/{file}": .public_,
        "GET /open311/v2/requests/{file}": .public_, "GET /open311/v2/tokens/{file}": .public_,
        "GET /v1/reports/feedback": .permission(.reportsRead),
        "GET /v1/feedback/reports": .permission(.feedbackRead), "GET /v1/feedback/reports/{code}": .permission(.feedbackRead),
        "POST /v1/feedback/reports/{code}/transitions": .permission(.feedbackHandle),
        "POST /v1/feedback/reports/{code}/responses": .permission(.feedbackHandle),
        "POST /v1/feedback/reports/{code}/notes": .permission(.feedbackHandle),
        "PUT /v1/feedback/reports/{code}/assignee": .permission(.feedbackHandle),
        "GET /v1/partners": .provincePermission(.usersManage), "POST /v1/partners": .provincePermission(.usersManage),
        "PATCH /v1/partners/{name}": .provincePermission(.usersManage), "POST /v1/partners/{name}/api-key": .provincePermission(.usersManage),
        "POST /v1/partners/{name}/webhook-secret": .provincePermission(.usersManage),
        "POST /v1/partner/reports": .partnerKey, "GET /v1/partner/reports": .partnerKey, "GET /v1/partner/reports/{code}": .partnerKey,
        "POST /v1/partner/reports/{code}/follow-ups": .partnerKey, "POST /v1/partner/reports/{code}/anonymise": .partnerKey,
        "GET /v1/me": .authenticated, "GET /v1/roles": .authenticated, "GET /v1/roles/{name}": .authenticated,
        "GET /v1/units": .authenticated, "GET /v1/units/{code}": .authenticated,
        "POST /v1/units": .permission(.unitsManage), "PATCH /v1/units/{code}": .permission(.unitsManage),
        "GET /v1/teams": .permission(.teamsRead), "GET /v1/teams/{id}": .permission(.teamsRead),
        "POST /v1/teams": .permission(.teamsManage), "PATCH /v1/teams/{id}": .permission(.teamsManage),
        "GET /v1/reports/establishment": .permission(.reportsRead), "GET /v1/reports/coverage": .permission(.reportsRead),
        "GET /v1/reports/trainings": .permission(.reportsRead), "GET /v1/reports/activities": .permission(.reportsRead),
        "GET /v1/audit": .permission(.auditRead), "GET /v1/audit/{id}": .permission(.auditRead),
        "PATCH /v1/users/{id}": .permission(.usersManage),
        "GET /v1/members": .permission(.membersRead), "GET /v1/members/{id}": .permission(.membersRead),
        "POST /v1/members": .permission(.membersManage), "PATCH /v1/members/{id}": .permission(.membersManage),
        "POST /v1/imports/members": .permission(.membersManage), "POST /v1/imports/hamlets": .permission(.unitsManage),
        "GET /v1/trainings": .permission(.teamsRead), "GET /v1/trainings/{id}": .permission(.teamsRead),
        "GET /v1/trainings/{id}/attendance": .permission(.teamsRead),
        "POST /v1/trainings": .permission(.trainingsManage), "PATCH /v1/trainings/{id}": .permission(.trainingsManage),
        "DELETE /v1/trainings/{id}": .permission(.trainingsManage),
        "PUT /v1/trainings/{id}/attendance/{member_id}": .permission(.trainingsManage),
        "DELETE /v1/trainings/{id}/attendance/{member_id}": .permission(.trainingsManage),
        "GET /v1/activities": .permission(.teamsRead), "GET /v1/activities/{id}": .permission(.teamsRead),
        "POST /v1/activities": .permission(.activitiesManage), "PATCH /v1/activities/{id}": .permission(.activitiesManage),
        "DELETE /v1/activities/{id}": .permission(.activitiesManage),
        "GET /v1/users": .permission(.usersManage), "POST /v1/users": .permission(.usersManage),
        "GET /v1/users/{id}": .authenticated, "POST /v1/users/{id}/invitations": .authenticated,
        "DELETE /v1/users/{id}/two-step": .authenticated, "GET /v1/feedback/categories": .authenticated,
        "GET /v1/grants": .permission(.usersManage), "POST /v1/grants": .permission(.usersManage),
        "DELETE /v1/grants/{id}": .permission(.usersManage),
        "GET /v1/tokens": .authenticated, "POST /v1/tokens": .authenticated, "DELETE /v1/tokens/{id}": .authenticated,
        "GET /v1/sync-clients": .provincePermission(.usersManage), "POST /v1/sync-clients": .provincePermission(.usersManage),
        "PATCH /v1/sync-clients/{name}": .provincePermission(.usersManage),
    ]

    static let roles = ["province_admin", "district_admin", "commune_officer", "feedback_officer", "auditor"]

    /// Objects of district A (116), of district B (120), and request bodies, for the routes' parameters.
    struct Objects {
        var a: [String: String]
        var b: [String: String]
        var bodies: [String: String]
    }

    static func routes() throws -> [String] {
        let endpoint = try DatabaseEndpoint(url: "postgres://cds_app:x@127.0.0.1:1/cds?sslmode=disable")
        let (database, _) = Database.makeService(endpoint, logger: TestDatabase.logger)
        return try Server.buildRouter(database: database, traffic: PublicTraffic(.unlimited)).routes.map { "\($0.method) \($0.path)" }.sorted()
    }

    static func objects(_ api: AdminAPITestCase) async throws -> Objects {
        try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
            let fixture = try await TwoDistricts.insert(into: app)
            let plane = ControlPlane(database: app)
            var ids: [String: (user: UUID, grant: UUID, token: UUID)] = [:]
            for (name, unit) in [("khanh", 3646), ("thao", 3808)] {
                let user = try await plane.createStaffUser(name: name, displayName: nil, homeUnit: unit, actor: .operator("test"))
                try await plane.grant(role: "commune_officer", unitCode: unit, to: user, grantedBy: nil, actor: .operator("test"))
                let grant = try #require(try await plane.staffAccounts().first { $0.id == user }?.grants.first?.id)
                let token = try await plane.issueToken(for: user, issuedWith: nil, label: nil, expiresAt: nil, actor: .operator("test")).id
                ids[name] = (user, grant, token)
            }
            _ = try await plane.registerPartnerApp(name: "matrix-partner", districts: nil, webhookURL: nil, actor: .operator("test"))
            var records: [Int: (training: UUID, activity: UUID)] = [:]
            for district in [fixture.a, fixture.b] {
                // The commune's own session, which its commune officer may change.
                records[district.tenant] = try await app.withTenantScope(.district(district.tenant), actor: .operator("test")) { tx in
                    let training = try await tx.rows(
                        """
                        INSERT INTO cds.training_sessions (tenant_id, commune_code, held_on, topic, mode)
                        VALUES (\(district.tenant), \(district.communeCode), '2023-09-01', 'Dịch vụ công trực tuyến', 'online')
                        RETURNING id
                        """,
                        as: UUID.self
                    )[0]
                    try await tx.query(
                        "INSERT INTO cds.training_attendance (tenant_id, session_id, member_id) VALUES (\(district.tenant), \(training), \(district.memberID))"
                    )
                    let activity = try await tx.rows(
                        """
                        INSERT INTO cds.guidance_activities (tenant_id, team_id, held_on, topic, residents_reached)
                        VALUES (\(district.tenant), \(district.teamID), '2023-10-02', 'cashless_payment', 25) RETURNING id
                        """,
                        as: UUID.self
                    )[0]
                    // A district-level report (handled by the district itself).
                    try await tx.query(
                        """
                        INSERT INTO cds.feedback_reports (tenant_id, tracking_code, category_code, commune_code, handling_level, description, due_at)
                        VALUES (\(district.tenant), \("PAKN-2026-900\(district.tenant)"), 'giao-thong', \(district.communeCode), 'district', 'Đường hỏng',
                                now() + interval '14 days')
                        """
                    )
                    return (training, activity)
                }
            }
            let audits = try await api.db.superuserRows(
                "SELECT tenant_id, max(id) FROM cds.audit_log WHERE tenant_id IN (116, 120) GROUP BY tenant_id ORDER BY tenant_id",
                as: (Int, Int64).self
            )
            let khanh = try #require(ids["khanh"])
            let thao = try #require(ids["thao"])
            return Objects(
                a: [
                    "/v1/units/{code}": fixture.a.hamletCode, "/v1/teams/{id}": "\(fixture.a.teamID)",
                    "/v1/members/{id}": "\(fixture.a.memberID)", "/v1/users/{id}": "\(khanh.user)",
                    "/v1/users/{id}/invitations": "\(khanh.user)", "/v1/users/{id}/two-step": "\(khanh.user)",
                    "/v1/grants/{id}": "\(khanh.grant)",
                    "/v1/roles/{name}": "auditor", "/v1/sync-clients/{name}": "matrix-client",
                    "/v1/partners/{name}": "matrix-partner", "/v1/partners/{name}/api-key": "matrix-partner",
                    "/v1/partners/{name}/webhook-secret": "matrix-partner",
                    "/v1/tokens/{id}": "\(khanh.token)", "/v1/trainings/{id}": "\(records[116]!.training)",
                    "/v1/trainings/{id}/attendance": "\(records[116]!.training)",
                    "/v1/trainings/{id}/attendance/{member_id}": "\(records[116]!.training)/attendance/\(fixture.a.memberID)",
                    "/v1/activities/{id}": "\(records[116]!.activity)", "/v1/audit/{id}": "116-\(audits[0].1)",
                    "/v1/feedback/reports/{code}": "PAKN-2026-900116", "/v1/feedback/reports/{code}/transitions": "PAKN-2026-900116",
                    "/v1/feedback/reports/{code}/responses": "PAKN-2026-900116", "/v1/feedback/reports/{code}/notes": "PAKN-2026-900116",
                    "/v1/feedback/reports/{code}/assignee": "PAKN-2026-900116",
                ],
                b: [
                    "/v1/units/{code}": fixture.b.hamletCode, "/v1/teams/{id}": "\(fixture.b.teamID)",
                    "/v1/members/{id}": "\(fixture.b.memberID)", "/v1/users/{id}": "\(thao.user)",
                    "/v1/users/{id}/invitations": "\(thao.user)", "/v1/users/{id}/two-step": "\(thao.user)",
                    "/v1/grants/{id}": "\(thao.grant)",
                    "/v1/tokens/{id}": "\(thao.token)", "/v1/trainings/{id}": "\(records[120]!.training)",
                    "/v1/trainings/{id}/attendance": "\(records[120]!.training)",
                    "/v1/trainings/{id}/attendance/{member_id}": "\(records[120]!.training)/attendance/\(fixture.b.memberID)",
                    "/v1/activities/{id}": "\(records[120]!.activity)", "/v1/audit/{id}": "120-\(audits[1].1)",
                    "/v1/feedback/reports/{code}": "PAKN-2026-900120", "/v1/feedback/reports/{code}/transitions": "PAKN-2026-900120",
                    "/v1/feedback/reports/{code}/responses": "PAKN-2026-900120", "/v1/feedback/reports/{code}/notes": "PAKN-2026-900120",
                    "/v1/feedback/reports/{code}/assignee": "PAKN-2026-900120",
                ],
                bodies: [
                    "POST /v1/users": #"{"name":"moi","home_unit_code":"116"}"#,
                    "POST /v1/sync-clients": #"{"name":"matrix-client","districts":["116"],"sources":["hrm"],"certificate_pem":"#
                        + TestCertificate.json + "}",
                    "PATCH /v1/sync-clients/{name}": #"{"status":"active"}"#,
                    "POST /v1/partners": #"{"name":"matrix-new","districts":["116"]}"#,
                    "PATCH /v1/partners/{name}": #"{"status":"active"}"#,
                    "POST /v1/grants": #"{"user_id":"\#(khanh.user)","role":"commune_officer","unit_code":"3649"}"#,
                    "POST /v1/tokens": #"{"label":"test"}"#,
                    "POST /v1/units": #"{"commune_code":"3646","name":"Tổ dân phố 12","kind":"to_dan_pho"}"#,
                    "PATCH /v1/units/{code}": #"{"name":"Bản Nà Cang Mới"}"#,
                    "POST /v1/teams": #"{"unit_code":"3649","name":"Tổ công nghệ số cộng đồng xã Chiềng Sinh"}"#,
                    "PATCH /v1/teams/{id}": #"{"name":"Tổ công nghệ số bản Nà Cang"}"#,
                    "POST /v1/members": #"{"team_id":"\#(fixture.a.teamID)","full_name":"Quàng Thị Xuân"}"#,
                    "PATCH /v1/members/{id}": #"{"has_smartphone":false}"#,
                    "POST /v1/imports/members": #"{"members":[{"team_id":"\#(fixture.a.teamID)","full_name":"Quàng Thị Xuân"}]}"#,
                    "POST /v1/imports/hamlets": #"{"hamlets":[{"commune_code":"3646","name":"Tổ dân phố 14","kind":"to_dan_pho"}]}"#,
                    "POST /v1/trainings": #"{"unit_code":"3646","held_on":"2023-11-20","topic":"Kỹ năng số","mode":"in_person"}"#,
                    "PATCH /v1/trainings/{id}": #"{"organiser":"Sở Thông tin và Truyền thông"}"#,
                    "POST /v1/activities": #"{"team_id":"\#(fixture.a.teamID)","held_on":"2023-11-21","topic":"e_commerce","residents_reached":12}"#,
                    "PATCH /v1/activities/{id}": #"{"residents_reached":30}"#,
                    "PATCH /v1/users/{id}": #"{"display_name":"Lường Văn Khánh"}"#,
                    "POST /v1/feedback/reports/{code}/transitions": #"{"status":"accepted"}"#,
                    "POST /v1/feedback/reports/{code}/responses": #"{"message":"Đã tiếp nhận."}"#,
                    "POST /v1/feedback/reports/{code}/notes": #"{"note":"Giao phòng Kinh tế."}"#,
                    "PUT /v1/feedback/reports/{code}/assignee": #"{"assignee_id":null}"#,
                ]
            )
        }
    }

    static func call(
        _ api: AdminAPITestCase,
        route: String,
        parameters: [String: String],
        bodies: [String: String],
        as account: String?
    )
        async throws -> Int
    {
        let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
        // The object's value replaces the path from its first parameter on (a two-parameter path has its own value).
        let path =
            parameters[parts[1]].map { value in
                parts[1].range(of: "{").map { String(parts[1][..<$0.lowerBound]) + value + Self.suffix(of: parts[1]) } ?? parts[1]
            } ?? parts[1]
        return try await api.send(HTTPRequest.Method(parts[0])!, path, as: account, body: bodies[route]).status
    }

    /// What follows the parameters of a one-parameter path (`/attendance` of `/v1/trainings/{id}/attendance`).
    static func suffix(of path: String) -> String {
        guard path.components(separatedBy: "{").count == 2, let close = path.range(of: "}") else { return "" }
        return String(path[close.upperBound...])
    }

    @Test func everyRoleGetsExactlyWhatItsPermissionsAllow() async throws {
        let routes = try Self.routes()
        for route in routes {
            #expect(Self.requirement[route] != nil, "\(route) is not in the route × role matrix")
        }
        try await AdminAPITestCase.run { api in
            let objects = try await Self.objects(api)
            let plane = try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                var tokens: [String: String] = [:]
                let plane = ControlPlane(database: app)
                for role in Self.roles {
                    // Each role at its level: the objects are in commune 3646 of district 116.
                    let unit = ["province_admin": 14, "commune_officer": 3646][role] ?? 116
                    let id = try await plane.createStaffUser(
                        name: "as-\(role.replacingOccurrences(of: "_", with: "-"))",
                        displayName: nil,
                        homeUnit: unit,
                        actor: .operator("test")
                    )
                    try await plane.grant(role: role, unitCode: unit, to: id, grantedBy: nil, actor: .operator("test"))
                    tokens[role] = try await plane.issueToken(for: id, issuedWith: nil, label: nil, expiresAt: nil, actor: .operator("test")).token
                }
                return (tokens, try await plane.rolePermissions())
            }
            for route in routes {
                guard let requirement = Self.requirement[route] else { continue }
                let anonymous = try await Self.call(api, route: route, parameters: objects.a, bodies: objects.bodies, as: nil)
                if case .public_ = requirement {
                    #expect(anonymous < 500, "\(route) anonymous")
                } else if case .consoleSession = requirement {
                    #expect(anonymous == 303 || anonymous == 403, "\(route) anonymous: \(anonymous)")
                } else {
                    #expect(anonymous == 401, "\(route) anonymous")
                }
                for role in Self.roles {
                    let status = try await Self.call(api, route: route, parameters: objects.a, bodies: objects.bodies, as: plane.0[role])
                    #expect(status < 500, "\(route) as \(role): \(status)")
                    if case .consoleSession = requirement {
                        #expect(status == anonymous, "\(route) as \(role): \(status), expected what no one gets")
                    } else if case .partnerKey = requirement {
                        #expect(status == 401, "\(route) as \(role): \(status), expected 401")
                    } else if case .permission(let permission) = requirement, plane.1[role]?.contains(permission) != true {
                        #expect(status == 403 || status == 404, "\(route) as \(role): \(status), expected 403")
                    } else if case .provincePermission(let permission) = requirement,
                        role != "province_admin" || plane.1[role]?.contains(permission) != true
                    {
                        #expect(status == 403, "\(route) as \(role): \(status), expected 403")
                    } else {
                        #expect(status != 401 && status != 403, "\(route) as \(role): \(status)")
                    }
                }
            }
        }
    }

    /// Routes whose objects belong to no district: the same for every caller.
    static let sharedAcrossDistricts: Set<String> = [
        "GET /v1/roles/{name}", "PATCH /v1/sync-clients/{name}", "PATCH /v1/partners/{name}", "POST /v1/partners/{name}/api-key",
        "POST /v1/partners/{name}/webhook-secret",
        // Open311's public routes answer everyone alike (partner scoping is tested in CDSFeedbackTests).
        "GET /open311/v2/{resource}", "POST /open311/v2/{resource}", "GET /open311/v2/services/{file}", "GET /open311/v2/requests/{file}",
        "GET /open311/v2/tokens/{file}",
        // The console's sign-in pages and files belong to no district (its pages are probed in CDSConsoleTests).
        "GET /console/invitation/{token}", "POST /console/invitation/{token}", "GET /console/static/{file}",
        "POST /console/two-step/{action}",
        "GET /console/members/{id}", "GET /console/members/{id}/edit", "POST /console/members/{id}/edit", "POST /console/members/{id}/leave",
        "GET /console/units/{code}",
        "POST /console/units/{code}/hamlets", "POST /console/units/{code}/edit", "GET /console/reports/{name}",
        "GET /console/feedback/{code}", "POST /console/feedback/{code}/{action}", "GET /console/trainings/{id}",
        "POST /console/trainings/{id}/attendance", "GET /console/users/{id}", "POST /console/users/{id}/{action}",
        // The partner API answers partner keys only: staff get 401 whatever the district.
        "GET /v1/partner/reports/{code}", "POST /v1/partner/reports/{code}/follow-ups", "POST /v1/partner/reports/{code}/anonymise",
    ]

    /// As district A's admin, every route that takes an id, called with district B's ids: 404, and B unchanged.
    @Test func anotherDistrictsIdsAreNotFoundAndUntouched() async throws {
        let routes = try Self.routes().filter { $0.contains("{") && !Self.sharedAcrossDistricts.contains($0) }
        try await AdminAPITestCase.run { api in
            let objects = try await Self.objects(api)
            for route in routes {
                #expect(objects.b[String(route.split(separator: " ")[1])] != nil, "\(route) has no district-B object in the probe")
            }
            let snapshot = """
                SELECT (SELECT string_agg(id::text || full_name || coalesce(phone, '') || trained || updated_at::text, ',' ORDER BY id) FROM cds.members WHERE tenant_id = 120)
                    || (SELECT string_agg(id::text || name || status, ',' ORDER BY id) FROM cds.teams WHERE tenant_id = 120)
                    || (SELECT string_agg(code || name, ',' ORDER BY code) FROM cds.hamlets WHERE tenant_id = 120)
                    || (SELECT string_agg(id::text || topic || updated_at::text, ',' ORDER BY id) FROM cds.training_sessions WHERE tenant_id = 120)
                    || (SELECT string_agg(session_id::text || member_id::text, ',') FROM cds.training_attendance WHERE tenant_id = 120)
                    || (SELECT string_agg(id::text || residents_reached || updated_at::text, ',' ORDER BY id) FROM cds.guidance_activities WHERE tenant_id = 120)
                    || (SELECT string_agg(id::text || role || unit_code, ',' ORDER BY id) FROM cds.grants WHERE unit_code = 3808)
                    || (SELECT string_agg(tracking_code || status || updated_at::text, ',') FROM cds.feedback_reports WHERE tenant_id = 120)
                    || (SELECT count(*)::text FROM cds.feedback_updates WHERE tenant_id = 120)
                    || (SELECT string_agg(c.id::text || (c.revoked_at IS NULL)::text, ',' ORDER BY c.id)
                        FROM cds.credentials c JOIN cds.principals p ON p.id = c.principal_id WHERE p.name = 'thao')
                    || (SELECT string_agg(name || coalesce(display_name, '') || status, ',') FROM cds.principals WHERE name = 'thao')
                """
            let before = try await api.db.superuserRows(PostgresQuery(unsafeSQL: snapshot), as: String.self)
            for route in routes {
                let status = try await Self.call(api, route: route, parameters: objects.b, bodies: objects.bodies, as: "district")
                #expect(status == 404, "\(route) with district B's id answered \(status)")
            }
            let after = try await api.db.superuserRows(PostgresQuery(unsafeSQL: snapshot), as: String.self)
            #expect(before == after)
        }
    }
}
