import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

extension FeedbackTestCase {
    /// Files `form` through Open311 as `partner`; the tracking code.
    func file(_ form: [(String, String)] = roadReport, as partner: String = "citizen-app") async throws -> String {
        let answer = try await postForm("/open311/v2/requests.json", form, partner: partner)
        return try #require(answer.list.first?["service_request_id"] as? String, "\(answer.body)")
    }

    func transition(_ code: String, _ body: String, as account: String = "district") async throws -> Answer {
        try await staff(.post, "/v1/feedback/reports/\(code)/transitions", as: account, body: body)
    }
}

/// The handlers' workflow through the admin API.
@Suite struct FeedbackHandlingTests {
    @Test func aReportIsHandledToTheEndAndThePublicSeesOnlyWhatIsPublic() async throws {
        try await FeedbackTestCase.run { test in
            let code = try await test.file()
            let listed = try await test.staff(.get, "/v1/feedback/reports?status=submitted", as: "district")
            #expect(listed.status == 200)
            #expect(((listed.json as? [String: Any])?["items"] as? [[String: Any]])?.map { $0["tracking_code"] as? String } == [code])

            // The handler sees the citizen's contact, and the read is audited.
            let shown = try await test.staff(.get, "/v1/feedback/reports/\(code)", as: "district")
            let contact = (shown.json as? [String: Any])?["contact"] as? [String: Any]
            #expect(contact?["phone"] as? String == "0912345678" && contact?["name"] as? String == "Lò Thị Mai")
            #expect(
                try await test.db.superuserRows(
                    "SELECT count(*)::int FROM cds.audit_log WHERE action = 'read_personal' AND entity = 'feedback_contacts'",
                    as: Int.self
                )[0] == 1
            )
            // The auditor reads no feedback: the list is forbidden, the report not found.
            #expect(try await test.staff(.get, "/v1/feedback/reports", as: "auditor").status == 403)
            #expect(try await test.staff(.get, "/v1/feedback/reports/\(code)", as: "auditor").status == 404)

            #expect(try await test.transition(code, #"{"status": "accepted", "internal_note": "Giao phòng Kinh tế hạ tầng"}"#).status == 200)
            let wrong = try await test.transition(code, #"{"status": "closed"}"#)
            #expect(wrong.status == 409)
            #expect(try await test.transition(code, #"{"status": "in_progress", "public_message": "Đã cử người kiểm tra."}"#).status == 200)
            #expect(
                try await test.staff(.post, "/v1/feedback/reports/\(code)/notes", as: "district", body: #"{"note": "Nhà thầu hẹn thứ Hai"}"#).status
                    == 200
            )
            #expect(
                try await test.staff(.post, "/v1/feedback/reports/\(code)/responses", as: "district", body: #"{"message": "Đang san gạt."}"#).status
                    == 200
            )
            let resolved = try await test.transition(code, #"{"status": "resolved", "public_message": "Đã khắc phục xong."}"#)
            #expect(resolved.status == 200)
            let updates = ((resolved.json as? [String: Any])?["updates"] as? [[String: Any]])?.map { $0["kind"] as? String }
            #expect(updates == ["status", "status", "status", "note", "response", "status"])

            // Open311: closed, the latest public message as status notes; the feed has the public changes only.
            let open311 = try await test.get("/open311/v2/requests/\(code).json").list.first
            #expect(open311?["status"] as? String == "closed" && open311?["status_notes"] as? String == "Đã khắc phục xong.")
            let feed = try await test.get("/open311/v2/servicerequestupdates.json").body
            #expect(feed.contains("Đang san gạt.") && feed.contains(#""status":"fixed""#))
            #expect(!feed.contains("Nhà thầu") && !feed.contains("Giao phòng"))

            // citizen-app has a webhook: one message per public change (3 transitions + 1 response + resolved), none for notes.
            let queued = try await test.db.superuserRows(
                "SELECT event_type, payload->'data'->>'status' FROM cds.webhook_deliveries ORDER BY id",
                as: (String, String).self
            )
            #expect(queued.map(\.0) == ["report.status_changed", "report.status_changed", "report.responded", "report.status_changed"])
            #expect(queued.map(\.1) == ["accepted", "in_progress", "in_progress", "resolved"])
        }
    }

    /// The list is the handlers' queue: what is still unanswered first, the soonest due (so the overdue) leading, and
    /// only then what has been answered, however long ago it was due.
    @Test func theListIsAQueueOfTheUnansweredFirst() async throws {
        try await FeedbackTestCase.run { test in
            let answered = try await test.file()
            let later = try await test.file()
            let overdue = try await test.file()
            #expect(try await test.transition(answered, #"{"status": "accepted"}"#).status == 200)
            #expect(try await test.transition(answered, #"{"status": "resolved", "public_message": "Đã sửa xong"}"#).status == 200)
            _ = try await Database.withDatabase(test.db.application, logger: TestDatabase.logger) { app in
                try await app.withTenantScope(.district(116), actor: .operator("test")) { tx in
                    try await tx.query(
                        """
                        UPDATE cds.feedback_reports SET due_at = CASE
                            WHEN tracking_code = \(answered)::text THEN \(Date(timeIntervalSinceNow: -30 * 86400))::timestamptz
                            WHEN tracking_code = \(overdue)::text THEN \(Date(timeIntervalSinceNow: -86400))::timestamptz
                            ELSE \(Date(timeIntervalSinceNow: 5 * 86400))::timestamptz END
                        """
                    )
                }
            }
            let listed = try await test.staff(.get, "/v1/feedback/reports", as: "district")
            let codes = ((listed.json as? [String: Any])?["items"] as? [[String: Any]])?.map { $0["tracking_code"] as? String }
            #expect(codes == [overdue, later, answered])
        }
    }

    /// Staff read the categories Open311 publishes as its services, with the same names, to name a report's category.
    @Test func staffReadTheCategoriesOpen311Publishes() async throws {
        try await FeedbackTestCase.run { test in
            let services = try await test.get("/open311/v2/services.json").list
            let listed = try await test.staff(.get, "/v1/feedback/categories", as: "auditor")
            #expect(listed.status == 200)
            let items = (listed.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(!items.isEmpty)
            #expect(items.map { $0["code"] as? String } == services.map { $0["service_code"] as? String })
            #expect(items.map { $0["name"] as? String } == services.map { $0["service_name"] as? String })
            #expect(try await test.get("/v1/feedback/categories").status == 401)
        }
    }

    @Test func anotherDistrictsAdminFindsNothing() async throws {
        try await FeedbackTestCase.run { test in
            let code = try await test.file()
            #expect(try await test.staff(.get, "/v1/feedback/reports/\(code)", as: "muongla").status == 404)
            #expect(try await test.transition(code, #"{"status": "accepted"}"#, as: "muongla").status == 404)
            let listed = try await test.staff(.get, "/v1/feedback/reports", as: "muongla")
            #expect(((listed.json as? [String: Any])?["items"] as? [[String: Any]])?.isEmpty == true)
            #expect(
                try await test.db.superuserRows(
                    "SELECT count(*)::int FROM cds.feedback_updates WHERE kind <> 'status' OR status_to <> 'submitted'",
                    as: Int.self
                )[0]
                    == 0
            )
        }
    }

    /// A commune's feedback officer handles the commune-level reports of its commune, and finds no district-level one.
    @Test func theHandlingLevelDecidesWhoHandles() async throws {
        try await FeedbackTestCase.run { test in
            let district = try await test.file()  // giao-thong: handled by the district
            var communeForm = roadReport.filter { !["service_code", "attribute[blocked]"].contains($0.0) }
            communeForm.append(("service_code", "moi-truong"))  // handled by the commune
            let commune = try await test.file(communeForm)
            #expect(try await test.staff(.get, "/v1/feedback/reports/\(district)", as: "commune").status == 404)
            #expect(try await test.transition(district, #"{"status": "accepted"}"#, as: "commune").status == 404)
            #expect(try await test.transition(commune, #"{"status": "accepted"}"#, as: "commune").status == 200)
            let listed = try await test.staff(.get, "/v1/feedback/reports", as: "commune")
            #expect(((listed.json as? [String: Any])?["items"] as? [[String: Any]])?.map { $0["tracking_code"] as? String } == [commune])
        }
    }

    /// A report goes only to someone who may handle it: feedback.handle on its handling unit. Anyone else — another
    /// district's admin, a commune's officer, an auditor, an id nobody has — gets the one same answer.
    @Test func aReportIsAssignedOnlyToWhoMayHandleIt() async throws {
        try await FeedbackTestCase.run { test in
            let code = try await test.file()  // giao-thong: handled by the district, 116
            var ids: [String: String] = [:]
            for account in ["district", "muongla", "commune", "auditor"] {
                ids[account] = try #require((try await test.staff(.get, "/v1/me", as: account).json as? [String: Any])?["id"] as? String)
            }
            var refusals: Set<String> = []
            for assignee in [ids["muongla"]!, ids["commune"]!, ids["auditor"]!, UUID().uuidString.lowercased()] {
                let refused = try await test.staff(
                    .put,
                    "/v1/feedback/reports/\(code)/assignee",
                    as: "district",
                    body: #"{"assignee_id":"\#(assignee)"}"#
                )
                #expect(refused.status == 422)
                refusals.insert((refused.json as? [String: Any])?["detail"] as? String ?? refused.body)
            }
            #expect(refusals.count == 1, "the refusals differ: \(refusals)")
            let assigned = try await test.staff(
                .put,
                "/v1/feedback/reports/\(code)/assignee",
                as: "district",
                body: #"{"assignee_id":"\#(ids["district"]!)"}"#
            )
            #expect((200..<300).contains(assigned.status))
            let shown = try await test.staff(.get, "/v1/feedback/reports/\(code)", as: "district")
            #expect((shown.json as? [String: Any])?["assignee_id"] as? String == ids["district"])
        }
    }

    @Test func duplicatesAndReferralsNeedWhatTheyName() async throws {
        try await FeedbackTestCase.run { test in
            let original = try await test.file()
            let copy = try await test.file()
            #expect(try await test.transition(copy, #"{"status": "duplicate"}"#).status == 422)
            #expect(try await test.transition(copy, #"{"status": "duplicate", "duplicate_of": "\#(copy)"}"#).status == 422)
            #expect(try await test.transition(copy, #"{"status": "duplicate", "duplicate_of": "PAKN-2026-999999"}"#).status == 422)
            #expect(try await test.transition(copy, #"{"status": "duplicate", "duplicate_of": "\#(original)"}"#).status == 200)
            #expect(try await test.transition(original, #"{"status": "not_responsible", "public_message": "Thuộc Công ty Điện lực"}"#).status == 422)
            #expect(try await test.transition(original, #"{"status": "not_responsible", "referred_to": "Công ty Điện lực Sơn La"}"#).status == 422)
            #expect(
                try await test.transition(
                    original,
                    #"{"status": "not_responsible", "referred_to": "Công ty Điện lực Sơn La", "public_message": "Đã chuyển Điện lực."}"#
                ).status == 200
            )
            #expect(try await test.transition(original, #"{"status": "flying"}"#).status == 422)
            #expect(try await test.transition(original, #"{"status": "closed", "colour": "red"}"#).status == 400)
            // Answered reports count for the on-time rate once.
            #expect(
                try await test.db.superuserRows("SELECT count(*)::int FROM cds.feedback_reports WHERE answered_at IS NOT NULL", as: Int.self)[0] == 2
            )
        }
    }
}
