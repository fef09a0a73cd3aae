import CDSDatabase
import CDSTestSupport
import Foundation
import HTTPTypes
import Testing

/// Who manages which account through the API: the caller must hold users.manage over the account's home and over
/// every unit its grants reach, and may act as an account (issue it a token) only when it holds everything the
/// account holds.
@Suite struct AccountReachRoutesTests {
    private static func json(_ answer: (status: Int, json: Any?, headers: HTTPFields)) -> [String: Any] {
        answer.json as? [String: Any] ?? [:]
    }

    /// Creates `name` at home on `home` as the province, with the given grants; its id.
    private static func account(_ api: AdminAPITestCase, _ name: String, home: String, grants: [(String, String)]) async throws -> String {
        let created = try await api.send(.post, "/v1/users", as: "province", body: #"{"name":"\#(name)","home_unit_code":"\#(home)"}"#)
        #expect(created.status == 201)
        let id = try #require(json(created)["id"] as? String)
        for (role, unit) in grants {
            let granted = try await api.send(.post, "/v1/grants", as: "province", body: #"{"user_id":"\#(id)","role":"\#(role)","unit_code":"\#(unit)"}"#)
            #expect(granted.status == 201, "\(role) on \(unit)")
        }
        return id
    }

    /// Every way a caller could act on an account, each answered as if the account did not exist.
    private static func expectOutOfReach(_ api: AdminAPITestCase, account id: String, as caller: String) async throws {
        let listed = try await api.get("/v1/users", as: caller)
        #expect(listed.status == 200)
        let ids = (json(listed)["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(!ids.contains(id), "\(caller) lists \(id)")
        #expect(try await api.get("/v1/users/\(id)", as: caller).status == 404)
        #expect(try await api.send(.post, "/v1/tokens", as: caller, body: #"{"user_id":"\#(id)","expires_in_days":365}"#).status == 404)
        #expect(try await api.get("/v1/tokens?user=\(id)", as: caller).status == 404)
        #expect(try await api.send(.post, "/v1/users/\(id)/invitations", as: caller).status == 404)
        #expect(try await api.send(.patch, "/v1/users/\(id)", as: caller, body: #"{"status":"disabled"}"#).status == 404)
        let grant = #"{"user_id":"\#(id)","role":"commune_officer","unit_code":"3808"}"#
        #expect(try await api.send(.post, "/v1/grants", as: caller, body: grant).status == 404)
        let grants = try await api.get("/v1/grants?user=\(id)", as: caller)
        #expect((json(grants)["items"] as? [Any])?.isEmpty == true)
    }

    /// The takeover found in review: a district admin minted a token for the province's new, grant-less account,
    /// which became a province admin afterwards.
    @Test func aDistrictAdminCannotReachTheProvincesNewAccount() async throws {
        try await AdminAPITestCase.run { api in
            let id = try await Self.account(api, "new-prov", home: "14", grants: [])
            try await Self.expectOutOfReach(api, account: id, as: "muongla")
            try await Self.expectOutOfReach(api, account: id, as: "district")
            #expect(try await api.get("/v1/users/\(id)", as: "province").status == 200)
            let granted = try await api.send(
                .post,
                "/v1/grants",
                as: "province",
                body: #"{"user_id":"\#(id)","role":"province_admin","unit_code":"14"}"#
            )
            #expect(granted.status == 201)
            try await Self.expectOutOfReach(api, account: id, as: "muongla")
        }
    }

    /// One grant in the caller's district beside a wider one, or a home elsewhere, puts an account out of reach.
    @Test func anAccountReachingBeyondTheCallersDistrictIsNotItsToManage() async throws {
        try await AdminAPITestCase.run { api in
            let wider = try await Self.account(api, "thanh-tra", home: "14", grants: [("auditor", "120"), ("auditor", "116")])
            try await Self.expectOutOfReach(api, account: wider, as: "muongla")
            let elsewhere = try await Self.account(api, "chuyen", home: "116", grants: [("commune_officer", "3808")])
            try await Self.expectOutOfReach(api, account: elsewhere, as: "muongla")
            try await Self.expectOutOfReach(api, account: elsewhere, as: "district")
            let own = try await Self.account(api, "ban", home: "120", grants: [("commune_officer", "3808")])
            #expect(try await api.get("/v1/users/\(own)", as: "muongla").status == 200)
        }
    }

    /// A console invitation is the power to act as the account: the caller's own, or one it may issue a token for.
    @Test func anInvitationLinkFollowsTheRuleOfATokenForTheAccount() async throws {
        try await AdminAPITestCase.run { api in
            let own = try await Self.account(api, "ban", home: "120", grants: [("commune_officer", "3808")])
            let issued = try await api.send(.post, "/v1/users/\(own)/invitations", as: "muongla")
            #expect(issued.status == 201)
            let path = try #require(Self.json(issued)["path"] as? String)
            #expect(path.hasPrefix("/console/invitation/cdsi_"))
            #expect(Self.json(issued)["user_id"] as? String == own)
            // Everyone may have a link for itself, even without users.manage.
            let me = try #require(Self.json(try await api.get("/v1/me", as: "officer"))["id"] as? String)
            #expect(try await api.send(.post, "/v1/users/\(me)/invitations", as: "officer").status == 201)
            let disabled = try await api.send(.patch, "/v1/users/\(own)", as: "muongla", body: #"{"status":"disabled"}"#)
            #expect(disabled.status == 200)
            #expect(try await api.send(.post, "/v1/users/\(own)/invitations", as: "muongla").status == 409)
        }
    }

    @Test func accountsAreCreatedAtHomeWhereTheCallerHoldsUsersManage() async throws {
        try await AdminAPITestCase.run { api in
            for home in ["14", "120"] {
                let refused = try await api.send(.post, "/v1/users", as: "district", body: #"{"name":"x-\#(home)","home_unit_code":"\#(home)"}"#)
                #expect(refused.status == 403, "home \(home)")
            }
            let created = try await api.send(.post, "/v1/users", as: "district", body: #"{"name":"phuong","home_unit_code":"3646"}"#)
            #expect(created.status == 201)
            #expect(Self.json(created)["home_unit_code"] as? String == "3646")
            #expect(try await api.send(.post, "/v1/users", as: "district", body: #"{"name":"nohome"}"#).status == 400)
            let unknown = try await api.send(.post, "/v1/users", as: "district", body: #"{"name":"nowhere","home_unit_code":"99999"}"#)
            #expect(unknown.status == 422)
            let hamlet = try await api.send(.post, "/v1/users", as: "district", body: #"{"name":"hamlet","home_unit_code":"3646-001"}"#)
            #expect(hamlet.status == 400)
            #expect(try await api.send(.post, "/v1/users", as: "officer", body: #"{"name":"mai","home_unit_code":"3646"}"#).status == 403)
            let names = try await api.db.superuserRows("SELECT name FROM cds.principals ORDER BY name", as: String.self)
            #expect(names == ["district", "muongla", "officer", "phuong", "province"])
        }
    }

    /// A token issued for another account stops working once the account's grants reach past its issuer's.
    @Test func aTokenForAnotherAccountDiesWhenTheAccountOutgrowsItsIssuer() async throws {
        try await AdminAPITestCase.run { api in
            let created = try await api.send(.post, "/v1/users", as: "muongla", body: #"{"name":"lan","home_unit_code":"120"}"#)
            let lan = try #require(Self.json(created)["id"] as? String)
            let issued = try await api.send(.post, "/v1/tokens", as: "muongla", body: #"{"user_id":"\#(lan)","expires_in_days":365}"#)
            #expect(issued.status == 201)
            let token = try #require(Self.json(issued)["token"] as? String)
            #expect(try await api.get("/v1/me", as: token).status == 200)

            let grant = #"{"user_id":"\#(lan)","role":"province_admin","unit_code":"14"}"#
            #expect(try await api.send(.post, "/v1/grants", as: "province", body: grant).status == 201)
            #expect(try await api.get("/v1/me", as: token).status == 401)
            #expect(try await api.get("/v1/users/\(lan)", as: "muongla").status == 404)
            let tokens = try await api.get("/v1/tokens?user=\(lan)", as: "province")
            let listed = Self.json(tokens)["items"] as? [[String: Any]] ?? []
            #expect(listed.count == 1 && listed[0]["revoked_at"] is String)
        }
    }

    /// users.manage alone is not enough to act as an account: a token for it would give the rest of its permissions.
    @Test func aTokenNeedsEverythingItsAccountHolds() async throws {
        try await AdminAPITestCase.run { api in
            try await api.db.withPools { _, owner in
                try await owner.withTransaction { connection in
                    try await connection.query(
                        """
                        INSERT INTO cds.roles (name, description, level) VALUES ('account_clerk', 'Keeps the accounts', 'district');
                        """,
                        logger: TestDatabase.logger
                    )
                    try await connection.query(
                        "INSERT INTO cds.role_permissions (role, permission) VALUES ('account_clerk', 'users.manage'), ('account_clerk', 'teams.read')",
                        logger: TestDatabase.logger
                    )
                }
            }
            let clerk = try await api.db.withPools { app, _ in
                let plane = ControlPlane(database: app)
                let id = try await plane.createStaffUser(name: "clerk", displayName: nil, homeUnit: 116, actor: .operator("test"))
                try await plane.grant(role: "account_clerk", unitCode: 116, to: id, grantedBy: nil, actor: .operator("test"))
                return try await plane.issueToken(for: id, issuedWith: nil, label: nil, expiresAt: nil, actor: .operator("test")).token
            }
            let hoa = try await Self.account(api, "hoa", home: "116", grants: [("commune_officer", "3646")])
            #expect(try await api.get("/v1/users/\(hoa)", as: clerk).status == 200)
            let refused = try await api.send(.post, "/v1/tokens", as: clerk, body: #"{"user_id":"\#(hoa)"}"#)
            #expect(refused.status == 403)
            #expect(try await api.send(.post, "/v1/users/\(hoa)/invitations", as: clerk).status == 403)
            let grant = #"{"user_id":"\#(hoa)","role":"commune_officer","unit_code":"3658"}"#
            #expect(try await api.send(.post, "/v1/grants", as: clerk, body: grant).status == 403)
            // A new account with nothing yet: the clerk may act as it, until the province widens it.
            let created = try await api.send(.post, "/v1/users", as: clerk, body: #"{"name":"moi","home_unit_code":"116"}"#)
            let moi = try #require(Self.json(created)["id"] as? String)
            let issued = try await api.send(.post, "/v1/tokens", as: clerk, body: #"{"user_id":"\#(moi)"}"#)
            let token = try #require(Self.json(issued)["token"] as? String)
            let widen = #"{"user_id":"\#(moi)","role":"auditor","unit_code":"116"}"#
            #expect(try await api.send(.post, "/v1/grants", as: "province", body: widen).status == 201)
            #expect(try await api.get("/v1/me", as: token).status == 401)
        }
    }

    @Test func aRoleGrantedAtTheWrongLevelIsRefusedWithTheLevelItNeeds() async throws {
        try await AdminAPITestCase.run { api in
            let id = try await Self.account(api, "cap", home: "14", grants: [])
            for (role, unit, needs) in [
                ("province_admin", "120", "on the province"), ("district_admin", "14", "on a district or a commune"),
                ("commune_officer", "116", "on a commune"),
            ] {
                let refused = try await api.send(.post, "/v1/grants", as: "province", body: #"{"user_id":"\#(id)","role":"\#(role)","unit_code":"\#(unit)"}"#)
                #expect(refused.status == 422, "\(role) on \(unit)")
                let errors = Self.json(refused)["errors"] as? [[String: Any]] ?? []
                #expect(errors.first?["field"] as? String == "unit_code")
                #expect(errors.first?["code"] as? String == "wrong_level")
                #expect((Self.json(refused)["detail"] as? String)?.contains(needs) == true, "\(role)")
            }
            // A district admin cannot make a province admin of its district either.
            let local = try await Self.account(api, "local", home: "120", grants: [])
            let grant = #"{"user_id":"\#(local)","role":"province_admin","unit_code":"120"}"#
            #expect(try await api.send(.post, "/v1/grants", as: "muongla", body: grant).status == 422)
            let roles = Self.json(try await api.get("/v1/roles", as: "officer"))["items"] as? [[String: Any]] ?? []
            let levels = Dictionary(uniqueKeysWithValues: roles.compactMap { role in (role["name"] as? String).map { ($0, role["level"] as? String) } })
            #expect(levels["province_admin"] == "province" && levels["district_admin"] == "district" && levels["commune_officer"] == "commune")
        }
    }
}
