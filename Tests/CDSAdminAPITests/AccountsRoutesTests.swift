import CDSTestSupport
import Foundation
import Testing

@Suite struct AccountsRoutesTests {
    @Test func aDistrictAdminGrantsNoMoreThanItHoldsWithinItsDistrict() async throws {
        try await AdminAPITestCase.run { api in
            let created = try await api.send(.post, "/v1/users", as: "district", body: #"{"name":"lan","display_name":"Cầm Thị Lan","home_unit_code":"116"}"#)
            #expect(created.status == 201)
            let user = try #require((created.json as? [String: Any])?["id"] as? String)
            #expect(created.headers[.location] == "/v1/users/\(user)")

            let allowed = try await api.send(
                .post,
                "/v1/grants",
                as: "district",
                body: #"{"user_id":"\#(user)","role":"commune_officer","unit_code":"3646"}"#
            )
            #expect(allowed.status == 201)
            for (role, unit) in [("district_admin", "120"), ("district_admin", "14"), ("province_admin", "14")] {
                let refused = try await api.send(
                    .post,
                    "/v1/grants",
                    as: "district",
                    body: #"{"user_id":"\#(user)","role":"\#(role)","unit_code":"\#(unit)"}"#
                )
                #expect(refused.status == 403, "\(role) on \(unit)")
            }
            let grants = try await api.get("/v1/grants?user=\(user)", as: "district")
            #expect(((grants.json as? [String: Any])?["items"] as? [Any])?.count == 1)

            // Another district's admin cannot see the account, its grants, or touch them.
            #expect(try await api.get("/v1/users/\(user)", as: "muongla").status == 404)
            let grantID = try #require((allowed.json as? [String: Any])?["id"] as? String)
            #expect(try await api.send(.delete, "/v1/grants/\(grantID)", as: "muongla").status == 404)
            #expect(try await api.send(.delete, "/v1/grants/\(grantID)", as: "district").status == 204)
            #expect(try await api.send(.delete, "/v1/grants/\(grantID)", as: "district").status == 404)
        }
    }

    @Test func withoutUsersManageAccountsAreForbidden() async throws {
        try await AdminAPITestCase.run { api in
            #expect(try await api.get("/v1/users", as: "officer").status == 403)
            #expect(try await api.send(.post, "/v1/users", as: "officer", body: #"{"name":"mai","home_unit_code":"3646"}"#).status == 403)
            let me = try await api.get("/v1/me", as: "officer")
            let ownTokens = try await api.get("/v1/tokens", as: "officer")
            #expect(me.status == 200)
            #expect(ownTokens.status == 200)
        }
    }

    @Test func aTokenIsShownOnceWorksAndStopsWhenRevoked() async throws {
        try await AdminAPITestCase.run { api in
            let issued = try await api.send(.post, "/v1/tokens", as: "officer", body: #"{"label":"điện thoại","expires_in_days":7}"#)
            #expect(issued.status == 201)
            let token = try #require((issued.json as? [String: Any])?["token"] as? String)
            let id = try #require((issued.json as? [String: Any])?["id"] as? String)
            #expect(try await api.get("/v1/me", as: token).status == 200)

            let listed = try await api.get("/v1/tokens", as: "officer")
            let items = (listed.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(items.count == 2)
            #expect(items.allSatisfy { $0["token"] == nil })

            #expect(try await api.send(.delete, "/v1/tokens/\(id)", as: "muongla").status == 404)
            #expect(try await api.send(.delete, "/v1/tokens/\(id)", as: "officer").status == 204)
            #expect(try await api.get("/v1/me", as: token).status == 401)
        }
    }

    @Test func bodiesAreReadStrictly() async throws {
        try await AdminAPITestCase.run { api in
            let unknown = try await api.send(.post, "/v1/users", as: "district", body: #"{"name":"hoa","status":"active","id":"x","home_unit_code":"116"}"#)
            #expect(unknown.status == 400)
            let fields = ((unknown.json as? [String: Any])?["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
            #expect(fields == ["id", "status"])

            #expect(try await api.send(.post, "/v1/users", as: "district", body: "[1,2]").status == 400)
            #expect(try await api.send(.post, "/v1/users", as: "district", body: #"{"name":42}"#).status == 400)
            #expect(try await api.send(.post, "/v1/users", as: "district", body: #"{"name":"Hoa Nguyễn","home_unit_code":"116"}"#).status == 422)
            let huge = #"{"name":"a\#(String(repeating: "b", count: 70_000))"}"#
            #expect(try await api.send(.post, "/v1/users", as: "district", body: huge).status == 413)
            #expect(try await api.send(.post, "/v1/users", as: "district", body: #"{"name":"hoa","home_unit_code":"116"}"#).status == 201)
            #expect(try await api.send(.post, "/v1/users", as: "district", body: #"{"name":"hoa","home_unit_code":"116"}"#).status == 409)
        }
    }

    @Test func accountsAreDisabledAndEnabledButNobodyLocksThemselvesOut() async throws {
        try await AdminAPITestCase.run { api in
            let me = try await api.get("/v1/me", as: "officer")
            let officer = try #require(((me.json as? [String: Any])?["id"] as? String))
            let disabled = try await api.send(.patch, "/v1/users/\(officer)", as: "district", body: #"{"status":"disabled"}"#)
            #expect(disabled.status == 200)
            #expect((disabled.json as? [String: Any])?["status"] as? String == "disabled")
            #expect(try await api.get("/v1/me", as: "officer").status == 401)
            #expect(try await api.send(.patch, "/v1/users/\(officer)", as: "district", body: #"{"status":"active"}"#).status == 200)
            #expect(try await api.get("/v1/me", as: "officer").status == 200)

            let district = try #require(((try await api.get("/v1/me", as: "district").json as? [String: Any])?["id"] as? String))
            #expect(try await api.send(.patch, "/v1/users/\(district)", as: "district", body: #"{"status":"disabled"}"#).status == 409)
            #expect(try await api.send(.patch, "/v1/users/\(district)", as: "muongla", body: #"{"status":"disabled"}"#).status == 404)
            let grants = try await api.get("/v1/users/\(district)", as: "district")
            let grant = try #require((((grants.json as? [String: Any])?["grants"] as? [[String: Any]])?.first?["id"] as? String))
            #expect(try await api.send(.delete, "/v1/grants/\(grant)", as: "district").status == 409)
            #expect(try await api.send(.delete, "/v1/grants/\(grant)", as: "province").status == 204)
        }
    }
}
