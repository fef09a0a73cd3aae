import CDSTestSupport
import Foundation
import HummingbirdTesting
import NIOCore
import Testing

/// Filing reports through `POST requests`, and reading them back publicly.
@Suite struct Open311SubmitTests {
    @Test func aReportIsFiledRoutedAndReadBackWithoutTheCitizensContact() async throws {
        try await FeedbackTestCase.run { test in
            let answer = try await test.postForm("/open311/v2/requests.json", roadReport, partner: "citizen-app")
            #expect(answer.status == 200)
            let created = try #require(answer.list.first)
            let id = try #require(created["service_request_id"] as? String)
            #expect(id.wholeMatch(of: /PAKN-20[0-9]{2}-[0-9]{6}/) != nil)
            let token = try #require(created["token"] as? String)

            let read = try await test.get("/open311/v2/requests/\(id).json")
            #expect(read.status == 200)
            let report = try #require(read.list.first)
            #expect(report["status"] as? String == "open")
            #expect(report["service_code"] as? String == "giao-thong")
            #expect(report["address_id"] as? String == "03646")
            #expect(report["agency_responsible"] as? String == "Thành phố Sơn La")
            #expect(report["description"] as? String == "Đường bị sạt lở một nửa,\nxe máy đi rất nguy hiểm.")
            #expect(report["media_url"] as? String == "https://anh.example.vn/sat-lo.jpg")
            #expect((report["expected_datetime"] as? String)?.hasSuffix("+07:00") == true)

            let byToken = try await test.get("/open311/v2/tokens/\(token).xml")
            #expect(byToken.body.contains("<service_request_id>\(id)</service_request_id>"))

            // The citizen's contact is in the database, and in no public answer.
            #expect(
                try await test.db.superuserRows("SELECT count(*)::int FROM cds.feedback_contacts WHERE contact_phone = '0912345678'", as: Int.self)[0]
                    == 1
            )
            for uri in [
                "/open311/v2/requests/\(id).json", "/open311/v2/requests/\(id).xml", "/open311/v2/requests.json", "/open311/v2/requests.xml",
                "/open311/v2/servicerequestupdates.json", "/open311/v2/tokens/\(token).json",
            ] {
                let body = try await test.get(uri).body
                for secret in ["0912345678", "912345678", "mai.lo@example.vn", "Lò Thị", "Mai"] {
                    #expect(!body.contains(secret), "\(uri) shows \(secret)")
                }
            }
        }
    }

    @Test func theListingAndTheUpdateFeedShowIt() async throws {
        try await FeedbackTestCase.run { test in
            let id = try #require(
                try await test.postForm("/open311/v2/requests.json", roadReport, partner: "smart-city").list.first?["service_request_id"] as? String
            )
            #expect(try await test.get("/open311/v2/requests.json").list.map { $0["service_request_id"] as? String } == [id])
            #expect(try await test.get("/open311/v2/requests.json?status=closed").list.isEmpty)
            #expect(try await test.get("/open311/v2/requests.json?service_code=moi-truong").list.isEmpty)
            #expect(try await test.get("/open311/v2/requests.json?service_request_id=\(id),PAKN-2000-000001").list.count == 1)
            let xml = try await test.get("/open311/v2/requests.xml")
            #expect(xml.body.contains("<service_requests><request><service_request_id>\(id)</service_request_id>"))
            let updates = try await test.get("/open311/v2/servicerequestupdates.json")
            #expect(updates.list.first?["service_request_id"] as? String == id)
            #expect(updates.list.first?["status"] as? String == "open")
            #expect(updates.list.first?["external_status_code"] as? String == "submitted")
            let feed = try await test.get("/open311/v2/servicerequestupdates.xml")
            #expect(feed.body.contains("<service_request_updates><request_update><update_id>"))
        }
    }

    /// Counted independently in SQL: the due time is a midnight in Vietnam, and the days from the day after the
    /// submission to the due day hold exactly the category's ten working days (no weekend, no holiday), the last
    /// of them a working day.
    @Test func theDueTimeCountsTheCategorysWorkingDays() async throws {
        try await FeedbackTestCase.run { test in
            _ = try await test.postForm("/open311/v2/requests.json", roadReport, partner: "citizen-app")
            let (workingDays, midnight, lastIsWorking) = try await test.db.superuserRows(
                """
                WITH local AS (
                    SELECT (submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS submitted, (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS due
                    FROM cds.feedback_reports),
                days AS (
                    SELECT d::date AS day, extract(isodow FROM d) < 6 AND d::date NOT IN (SELECT day FROM cds.public_holidays) AS working
                    FROM local, generate_series(local.submitted::date + 1, local.due::date - 1, interval '1 day') AS d)
                SELECT (SELECT count(*)::int FROM days WHERE working), (SELECT due::time = '00:00' FROM local),
                       (SELECT working FROM days ORDER BY day DESC LIMIT 1)
                """,
                as: (Int, Bool, Bool).self
            )[0]
            #expect(workingDays == 10)
            #expect(midnight)
            #expect(lastIsWorking)
        }
    }

    @Test(
        arguments: [
            ([("service_code", "")], "service_code"),
            ([("address_id", "")], "address_id"),
            ([("address_id", "36-46-1")], "address_id"),
            ([("description", "  ")], "description"),
            ([("media_url", "http://anh.example.vn/a.jpg")], "media_url"),
            ([("lat", "103.9188"), ("long", "21.3256")], "lat"),
            ([("lat", "")], "lat"),
            ([("phone", "12345")], "phone"),
            ([("email", "mai at example")], "email"),
            ([("attribute[blocked]", "maybe")], "attribute[blocked]"),
            ([("attribute[colour]", "red")], "attribute[colour]"),
            ([("description", String(repeating: "ă", count: 4001))], "description"),
        ] as [([(String, String)], String)]
    )
    func aBadFieldIsA400NamingItAndWritesNothing(_ changes: [(String, String)], field: String) async throws {
        try await FeedbackTestCase.run { test in
            var form = roadReport.filter { pair in !changes.contains { $0.0 == pair.0 } || pair.0 == "attribute[colour]" }
            form += changes
            let answer = try await test.postForm("/open311/v2/requests.json", form, partner: "citizen-app")
            #expect(answer.status == 400)
            #expect(answer.list.contains { ($0["description"] as? String)?.hasPrefix(field + ":") == true }, "\(answer.body)")
            #expect(try await test.reportCount() == 0)
        }
    }

    @Test func everyFaultIsListedAtOnce() async throws {
        try await FeedbackTestCase.run { test in
            let answer = try await test.postForm(
                "/open311/v2/requests.xml",
                [("service_code", "giao-thong"), ("media_url", "ftp://x")],
                partner: "citizen-app"
            )
            #expect(answer.status == 400)
            for field in ["address_id", "description", "media_url", "attribute[blocked]"] {
                #expect(answer.body.contains("<description>\(field):"), "\(field)")
            }
        }
    }

    @Test func keysScopesAndUnknownServices() async throws {
        try await FeedbackTestCase.run { test in
            #expect(try await test.postForm("/open311/v2/requests.json", roadReport, partner: nil).status == 403)
            #expect(try await test.postForm("/open311/v2/requests.json", roadReport, partner: "cdsp_forged").status == 403)
            // citizen-app reaches district 116 only: a report from Ít Ong (120) is refused, smart-city's is filed.
            var itOng = roadReport.filter { $0.0 != "address_id" }
            itOng.append(("address_id", "3808"))
            let refused = try await test.postForm("/open311/v2/requests.json", itOng, partner: "citizen-app")
            #expect(refused.status == 403)
            #expect(try await test.reportCount() == 0)
            #expect(try await test.postForm("/open311/v2/requests.json", itOng, partner: "smart-city").status == 200)
            // A hamlet of 116 is a location; a hamlet code that does not exist is not.
            var hamlet = roadReport.filter { $0.0 != "address_id" }
            hamlet.append(("address_id", test.districts.a.hamletCode))
            #expect(try await test.postForm("/open311/v2/requests.json", hamlet, partner: "citizen-app").status == 200)
            hamlet[hamlet.count - 1] = ("address_id", "3646-999")
            #expect(try await test.postForm("/open311/v2/requests.json", hamlet, partner: "citizen-app").status == 400)
            var unknown = roadReport.filter { $0.0 != "service_code" }
            unknown.append(("service_code", "no-such-service"))
            #expect(try await test.postForm("/open311/v2/requests.json", unknown, partner: "citizen-app").status == 404)
            #expect(try await test.reportCount() == 2)
        }
    }

    @Test func malformedBodiesAre400sAndWriteNothing() async throws {
        try await FeedbackTestCase.run { test in
            let json = try await test.postRaw("/open311/v2/requests.json", body: ByteBuffer(string: "{}"), contentType: "application/json")
            #expect(json.status == 400)
            let invalidUTF8 = try await test.postRaw(
                "/open311/v2/requests.json",
                body: ByteBuffer(bytes: Array("service_code=giao-thong&description=".utf8) + [0xC3, 0x28]),
                contentType: "application/x-www-form-urlencoded"
            )
            #expect(invalidUTF8.status == 400)
            let badEscape = try await test.postRaw(
                "/open311/v2/requests.json",
                body: ByteBuffer(string: "service_code=%ZZ"),
                contentType: "application/x-www-form-urlencoded"
            )
            #expect(badEscape.status == 400)
            let huge = try await test.postRaw(
                "/open311/v2/requests.json",
                body: ByteBuffer(string: "description=" + String(repeating: "a", count: 70_000)),
                contentType: "application/x-www-form-urlencoded"
            )
            #expect(huge.status == 413)
            #expect(try await test.postRaw("/open311/v2/services.json", body: ByteBuffer(), contentType: "text/plain").status == 405)
            #expect(try await test.reportCount() == 0)
        }
    }

    @Test func aPartnerOverItsRateIsToldWhenToComeBack() async throws {
        try await FeedbackTestCase.run { test in
            // 120 a minute: a burst of 12, then 2 a second.
            var statuses: [Int] = []
            var retryAfter: String?
            while statuses.count < 100, retryAfter == nil {
                let answer = try await test.postForm("/open311/v2/requests.json", [("service_code", "")], partner: "citizen-app")
                statuses.append(answer.status)
                if answer.status == 429 { retryAfter = answer.headers[.retryAfter] }
            }
            #expect(statuses.prefix(12).allSatisfy { $0 == 400 })
            #expect(statuses.last == 429)
            #expect(retryAfter.flatMap(Int.init).map { $0 >= 1 } == true)
            // Another partner is not held back.
            #expect(try await test.postForm("/open311/v2/requests.json", [("service_code", "")], partner: "smart-city").status == 400)
        }
    }
}
