import CDSDatabase
import CDSFeedbackMaintenance
import CDSTestSupport
import Foundation
import Testing

/// `GET /v1/reports/feedback` and the operators' maintenance.
@Suite struct FeedbackReportTests {
    @Test func theOnTimeRateCountsAnswersByTheirDueTime() async throws {
        try await FeedbackTestCase.run { test in
            let onTime = try await test.file()
            let late = try await test.file()
            _ = try await test.file()
            #expect(try await test.transition(onTime, #"{"status": "accepted"}"#).status == 200)
            #expect(try await test.transition(late, #"{"status": "rejected", "public_message": "Không thuộc phạm vi."}"#).status == 200)
            // The late one was answered after its due time; a third is still open, now past its due time.
            try await test.database.withTenantScope(.district(116), actor: TwoDistricts.actor) { transaction in
                let answered = try await transaction.rows(
                    "SELECT answered_at FROM cds.feedback_reports WHERE tracking_code = \(late)",
                    as: Date.self
                )[0]
                try await transaction.query(
                    "UPDATE cds.feedback_reports SET due_at = \(answered.addingTimeInterval(-3600)) WHERE tracking_code = \(late)"
                )
                try await transaction.query(
                    "UPDATE cds.feedback_reports SET due_at = \(Date(timeIntervalSinceNow: -86400)) WHERE status = 'submitted'"
                )
            }
            let answer = try await test.staff(.get, "/v1/reports/feedback", as: "district")
            #expect(answer.status == 200)
            let report = try #require(answer.json as? [String: Any])
            let total = try #require(report["total"] as? [String: Any])
            #expect(total["submitted"] as? Int == 3 && total["answered"] as? Int == 1 && total["answered_on_time"] as? Int == 0)
            #expect(total["open_overdue"] as? Int == 1)
            #expect((report["by_category"] as? [[String: Any]])?.first?["key"] as? String == "giao-thong")
            #expect((report["by_unit"] as? [[String: Any]])?.first?["name"] as? String == "Thành phố Sơn La")
            #expect((report["by_month"] as? [[String: Any]])?.count == 1)
            // Another district's admin counts none of them.
            let other = try await test.staff(.get, "/v1/reports/feedback", as: "muongla")
            #expect(((other.json as? [String: Any])?["total"] as? [String: Any])?["submitted"] as? Int == 0)
            #expect(try await test.staff(.get, "/v1/reports/feedback?district=3646", as: "district").status == 404)
            #expect(try await test.staff(.get, "/v1/reports/feedback?district=120", as: "district").status == 404)
        }
    }

    @Test func contactsArePurgedAfterTheRetentionAndDeadWebhooksRedelivered() async throws {
        try await FeedbackTestCase.run { test in
            let code = try await test.file()
            #expect(try await test.transition(code, #"{"status": "accepted"}"#).status == 200)
            let actor = AuditActor.operator("test")
            #expect(try await FeedbackMaintenance.purgeContacts(olderThan: 365 * 86_400, in: test.database, actor: actor) == 0)
            #expect(try await FeedbackMaintenance.purgeContacts(olderThan: 0, in: test.database, actor: actor) == 1)
            #expect(try await test.db.superuserRows("SELECT count(*)::int FROM cds.feedback_contacts", as: Int.self)[0] == 0)
            #expect(try await test.reportCount() == 1)

            // citizen-app's webhook message, dead-lettered, then put back with a new window.
            _ = try await test.db.superuserRows(
                "WITH d AS (UPDATE cds.webhook_deliveries SET dead_at = now(), window_started_at = now() - interval '2 days' RETURNING 1) SELECT count(*)::int FROM d",
                as: Int.self
            )
            #expect(try await FeedbackMaintenance.redeliverDeadWebhooks(partner: "smart-city", in: test.database, actor: actor) == 0)
            #expect(try await FeedbackMaintenance.redeliverDeadWebhooks(partner: nil, in: test.database, actor: actor) == 1)
            let (dead, fresh) = try await test.db.superuserRows(
                "SELECT count(*) FILTER (WHERE dead_at IS NOT NULL)::int, count(*) FILTER (WHERE window_started_at > now() - interval '1 minute')::int FROM cds.webhook_deliveries",
                as: (Int, Int).self
            )[0]
            #expect(dead == 0 && fresh == 1)
        }
    }
}
