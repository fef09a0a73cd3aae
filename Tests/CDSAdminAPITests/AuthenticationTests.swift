import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

@Suite struct AuthenticationTests {
    @Test func missingWrongAndRevokedTokensGetA401WithAChallenge() async throws {
        try await AdminAPITestCase.run { api in
            for account in [nil, "cds_unknown", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"] as [String?] {
                let result = try await api.get("/v1/me", as: account)
                #expect(result.status == 401)
                #expect(result.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(result.headers[.contentType] == "application/problem+json")
                let problem = result.json as? [String: Any]
                #expect(problem?["status"] as? Int == 401)
                #expect((problem?["type"] as? String)?.hasSuffix("/unauthorized") == true)
            }
        }
    }

    @Test func meShowsGrantsDistrictsAndPermissions() async throws {
        try await AdminAPITestCase.run { api in
            let officer = try await api.get("/v1/me", as: "officer")
            #expect(officer.status == 200)
            let me = officer.json as? [String: Any]
            #expect(me?["name"] as? String == "officer")
            #expect(me?["districts"] as? [Int] == [116])
            let permissions = me?["permissions"] as? [String] ?? []
            #expect(permissions.contains("teams.manage"))
            #expect(!permissions.contains("users.manage"))

            let province = try await api.get("/v1/me", as: "province")
            #expect((province.json as? [String: Any])?["districts"] as? [Int] == [116, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128])
        }
    }
}
