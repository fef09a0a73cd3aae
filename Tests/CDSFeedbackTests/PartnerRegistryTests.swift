import CDSTestSupport
import Foundation
import Testing

/// `/v1/partners`: the province registers partner apps; keys are shown once and rotate; a disabled app is refused.
@Suite struct PartnerRegistryTests {
    @Test func registerRotateAndDisable() async throws {
        try await FeedbackTestCase.run { test in
            let body = #"{"name": "zalo-sonla", "districts": ["116", "118"], "webhook_url": "https://8.8.8.8/cds", "requests_per_minute": 600}"#
            #expect(try await test.staff(.post, "/v1/partners", as: "district", body: body).status == 403)
            let created = try await test.staff(.post, "/v1/partners", as: "province", body: body)
            #expect(created.status == 201)
            let view = try #require(created.json as? [String: Any])
            let key = try #require(view["api_key"] as? String)
            #expect(key.hasPrefix("cdsp_") && (view["webhook_secret"] as? String)?.hasPrefix("whsec_") == true)
            #expect(view["districts"] as? [String] == ["116", "118"] && view["requests_per_minute"] as? Int == 600)
            // The key works; the listing never shows it again.
            #expect(try await test.postForm("/open311/v2/requests.json", roadReport, partner: key).status == 200)
            let listed = try await test.staff(.get, "/v1/partners", as: "province")
            #expect(listed.body.contains("zalo-sonla") && !listed.body.contains(key) && !listed.body.contains("whsec_"))
            #expect(try await test.staff(.post, "/v1/partners", as: "province", body: body).status == 409)

            let rotated = try await test.staff(.post, "/v1/partners/zalo-sonla/api-key", as: "province")
            let newKey = try #require((rotated.json as? [String: Any])?["api_key"] as? String)
            #expect(newKey != key)
            #expect(try await test.postForm("/open311/v2/requests.json", roadReport, partner: key).status == 403)
            #expect(try await test.postForm("/open311/v2/requests.json", roadReport, partner: newKey).status == 200)

            #expect(try await test.staff(.patch, "/v1/partners/zalo-sonla", as: "province", body: #"{"status": "disabled"}"#).status == 200)
            #expect(try await test.postForm("/open311/v2/requests.json", roadReport, partner: newKey).status == 403)
            #expect(try await test.staff(.patch, "/v1/partners/nobody", as: "province", body: #"{"status": "disabled"}"#).status == 404)
        }
    }

    @Test(arguments: [
        #"{"name": "a", "districts": ["116"]}"#, #"{"name": "app", "districts": []}"#, #"{"name": "app", "districts": ["3646"]}"#,
        #"{"name": "app", "districts": ["all"], "webhook_url": "http://127.0.0.1:8080/hook"}"#,
        #"{"name": "app", "districts": ["all"], "webhook_url": "http://10.0.0.5/hook"}"#,
        #"{"name": "app", "districts": ["all"], "webhook_url": "ftp://example.vn/x"}"#,
        #"{"name": "app", "districts": ["all"], "requests_per_minute": 0}"#,
    ])
    func badRegistrationsAre422s(_ body: String) async throws {
        try await FeedbackTestCase.run { test in
            let answer = try await test.staff(.post, "/v1/partners", as: "province", body: body)
            #expect(answer.status == 422, "\(answer.body)")
            #expect(try await test.db.superuserRows("SELECT count(*)::int FROM cds.partner_apps", as: Int.self)[0] == 2)
        }
    }
}
