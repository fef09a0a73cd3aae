import CDSDatabase
import CDSTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension FeedbackTestCase {
    /// Sends `method` to the native API as `partner` (its key in X-API-Key), with a JSON `body` and an Idempotency-Key.
    func partner(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as partner: String?,
        body: String? = nil,
        idempotencyKey: String? = nil
    ) async throws -> Answer {
        var headers = HTTPFields()
        if let partner { headers[HTTPField.Name("X-API-Key")!] = keys[partner] ?? partner }
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            OpenAPIContract.adminAPI.record(method: method, uri: uri, response: response)
            return Answer(status: response.status.code, body: String(buffer: response.body), headers: response.headers)
        }
    }
}

/// A report of Phường Chiềng Lề (116) as the native API takes it.
let nativeReport = """
    {"service_code": "ho-tro-cong-nghe-so", "address_id": "3646", "description": "Bà tôi cần cài VNeID.",
     "attributes": {"support_type": "vneid"}, "contact": {"name": "Quàng Văn Minh", "phone": "0987654321"}}
    """

@Suite struct PartnerAPITests {
    @Test func aKeyFilesOnceAndReplaysItsAnswer() async throws {
        try await FeedbackTestCase.run { test in
            let first = try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: nativeReport, idempotencyKey: #""k-1""#)
            #expect(first.status == 201)
            let filed = try #require(first.json as? [String: Any])
            #expect((filed["tracking_code"] as? String)?.hasPrefix("PAKN-") == true)
            #expect(filed["district"] as? Int == 116 && filed["status"] as? String == "submitted")
            let again = try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: nativeReport, idempotencyKey: "k-1")
            #expect(again.status == 201 && again.body == first.body)
            #expect(try await test.reportCount() == 1)
            // The same key with another body: refused, nothing filed. Keys are the partner's own: another partner's k-1 is new.
            let other = nativeReport.replacingOccurrences(of: "VNeID", with: "VssID")
            #expect(try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: other, idempotencyKey: "k-1").status == 422)
            #expect(try await test.partner(.post, "/v1/partner/reports", as: "smart-city", body: nativeReport, idempotencyKey: "k-1").status == 201)
            #expect(try await test.reportCount() == 2)
            // No key, a malformed key.
            #expect(try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: nativeReport).status == 400)
            #expect(try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: nativeReport, idempotencyKey: "a b").status == 400)
            #expect(try await test.reportCount() == 2)
        }
    }

    /// A key is kept 48 hours: past that it is free again (the new request is filed, not compared with the old
    /// one), and the partner's expired keys are deleted as new ones come.
    @Test func anExpiredKeyIsFreeAgainAndExpiredKeysGo() async throws {
        try await FeedbackTestCase.run { test in
            for key in ["k-old", "k-gone"] {
                #expect(
                    try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: nativeReport, idempotencyKey: key).status == 201
                )
            }
            try await test.database.client.query("UPDATE cds.partner_idempotency_keys SET created_at = now() - interval '49 hours'")
            let other = nativeReport.replacingOccurrences(of: "VNeID", with: "VssID")
            let reused = try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: other, idempotencyKey: "k-old")
            #expect(reused.status == 201)
            #expect(try await test.reportCount() == 3)
            let kept = try await test.database.client.query(
                "SELECT key, response_status FROM cds.partner_idempotency_keys ORDER BY key"
            ).collect().map { try $0.decode((String, Int).self) }
            #expect(kept.map(\.0) == ["k-old"] && kept.map(\.1) == [201])
            // The answer now stored is the new report's.
            let again = try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: other, idempotencyKey: "k-old")
            #expect(again.status == 201 && again.body == reused.body)
        }
    }

    /// 1,000 submissions at once with one key: one report; every answer the first's, or "still in flight".
    @Test func aThousandConcurrentSubmissionsWithOneKeyFileOneReport() async throws {
        // Every request waits its turn for a connection, however loaded the machine: none is shed with 503, so all
        // 1,000 race for the key.
        try await FeedbackTestCase.run(acquireTimeout: .seconds(120)) { test in
            let bulk = try await ControlPlane(database: test.database).registerPartnerApp(
                name: "bulk-app",
                districts: nil,
                webhookURL: nil,
                requestsPerMinute: 1_000_000,
                actor: .operator("test")
            ).apiKey
            let answers = try await withThrowingTaskGroup(of: FeedbackTestCase.Answer.self) { group in
                for _ in 0..<1000 {
                    group.addTask {
                        try await test.partner(.post, "/v1/partner/reports", as: bulk, body: nativeReport, idempotencyKey: "same-key")
                    }
                }
                var answers: [FeedbackTestCase.Answer] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            #expect(try await test.reportCount() == 1)
            let created = answers.filter { $0.status == 201 }
            #expect(!created.isEmpty)
            #expect(Set(created.map(\.body)).count == 1)
            #expect(answers.allSatisfy { [201, 409].contains($0.status) }, "\(Set(answers.map(\.status)))")
        }
    }

    @Test func badValuesAre422sNamingTheBodysFields() async throws {
        try await FeedbackTestCase.run { test in
            let body = """
                {"service_code": "giao-thong", "address_id": "3646", "description": "x", "address": "\(String(repeating: "a", count: 501))",
                 "media_urls": ["http://a.vn/x.jpg"], "contact": {"phone": "123"}}
                """
            let answer = try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: body, idempotencyKey: "bad")
            #expect(answer.status == 422)
            let fields = Set(((answer.json as? [String: Any])?["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["address", "media_urls", "contact.phone", "attributes.blocked"])
            #expect(
                try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: #"{"colour": 1}"#, idempotencyKey: "x").status == 400
            )
            #expect(try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: "[", idempotencyKey: "y").status == 400)
            #expect(try await test.reportCount() == 0)
        }
    }

    @Test func aPartnerSeesOnlyItsOwnReportsInItsOwnDistricts() async throws {
        try await FeedbackTestCase.run { test in
            #expect(try await test.partner(.get, "/v1/partner/reports", as: nil).status == 401)
            #expect(try await test.partner(.get, "/v1/partner/reports", as: "cdsp_forged").status == 401)
            let filed = try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: nativeReport, idempotencyKey: "a")
            let code = try #require((filed.json as? [String: Any])?["tracking_code"] as? String)
            // citizen-app reaches 116 only.
            let itOng = nativeReport.replacingOccurrences(of: #""3646""#, with: #""3808""#)
            #expect(try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: itOng, idempotencyKey: "b").status == 403)
            #expect(try await test.partner(.post, "/v1/partner/reports", as: "smart-city", body: itOng, idempotencyKey: "b").status == 201)

            let own = try await test.partner(.get, "/v1/partner/reports/\(code)", as: "citizen-app")
            #expect(own.status == 200)
            let view = try #require(own.json as? [String: Any])
            #expect(view["status"] as? String == "submitted")
            #expect((view["updates"] as? [[String: Any]])?.map { $0["status"] as? String } == ["submitted"])
            #expect(!own.body.contains("0987654321") && !own.body.contains("Quàng"))
            // Another partner's report is not found, and not listed.
            #expect(try await test.partner(.get, "/v1/partner/reports/\(code)", as: "smart-city").status == 404)
            let listed = try await test.partner(.get, "/v1/partner/reports", as: "citizen-app")
            #expect(((listed.json as? [String: Any])?["items"] as? [[String: Any]])?.map { $0["tracking_code"] as? String } == [code])
            let others = try await test.partner(.get, "/v1/partner/reports?limit=1", as: "smart-city")
            let items = (others.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1 && items[0]["tracking_code"] as? String != code)
            #expect(try await test.partner(.get, "/v1/partner/reports?limit=0", as: "smart-city").status == 422)
            #expect(try await test.partner(.post, "/v1/partner/reports/\(code)/anonymise", as: "smart-city").status == 404)
        }
    }

    @Test func followUpsAndAnonymising() async throws {
        try await FeedbackTestCase.run { test in
            let filed = try await test.partner(.post, "/v1/partner/reports", as: "citizen-app", body: nativeReport, idempotencyKey: "a")
            let code = try #require((filed.json as? [String: Any])?["tracking_code"] as? String)
            let followUp = try await test.partner(
                .post,
                "/v1/partner/reports/\(code)/follow-ups",
                as: "citizen-app",
                body: #"{"message": "Số điện thoại của bà: 0912000111"}"#
            )
            #expect(followUp.status == 204)
            #expect(
                try await test.partner(.post, "/v1/partner/reports/\(code)/follow-ups", as: "citizen-app", body: #"{"message": " "}"#).status == 422
            )
            // A follow-up is for the handlers, not the public feed.
            #expect(!(try await test.get("/open311/v2/servicerequestupdates.json").body.contains("0912000111")))
            #expect(!(try await test.get("/open311/v2/requests/\(code).json").body.contains("0912000111")))

            #expect(try await test.db.superuserRows("SELECT count(*)::int FROM cds.feedback_contacts", as: Int.self)[0] == 1)
            #expect(try await test.partner(.post, "/v1/partner/reports/\(code)/anonymise", as: "citizen-app").status == 204)
            #expect(try await test.db.superuserRows("SELECT count(*)::int FROM cds.feedback_contacts", as: Int.self)[0] == 0)
            #expect(try await test.reportCount() == 1)
            #expect(
                try await test.db.superuserRows("SELECT count(*)::int FROM cds.feedback_reports WHERE anonymised_at IS NOT NULL", as: Int.self)[0]
                    == 1
            )
        }
    }
}
