import CDSCore
import CDSDatabase
import Foundation
import PostgresNIO

/// The operators' maintenance of the feedback module, across every district: dead-lettered webhooks sent again,
/// citizens' contacts purged after the retention period.
public enum FeedbackMaintenance {
    /// Puts the dead-lettered webhook messages (of one partner app, or all) back in the outbox, each with a new
    /// retry window; the worker sends them with the same webhook-id as before. The number put back.
    public static func redeliverDeadWebhooks(partner: String?, in database: Database, actor: AuditActor) async throws -> Int {
        try await database.withTenantScope(try await database.provinceScope(), actor: actor) { transaction in
            try await transaction.rows(
                """
                WITH again AS (
                    UPDATE cds.webhook_deliveries d SET dead_at = NULL, next_attempt_at = now(), window_started_at = now()
                    FROM cds.partner_apps p
                    WHERE d.dead_at IS NOT NULL AND d.delivered_at IS NULL AND p.id = d.partner_id
                      AND (\(partner)::text IS NULL OR p.name = \(partner)::text)
                    RETURNING 1)
                SELECT count(*) FROM again
                """,
                as: Int.self
            )[0]
        }
    }

    /// Removes the citizens' contacts of the reports submitted more than `age` ago (the reports stay, marked
    /// anonymised). The number of contacts removed.
    public static func purgeContacts(olderThan age: TimeInterval, in database: Database, actor: AuditActor) async throws -> Int {
        try await database.withTenantScope(try await database.provinceScope(), actor: actor) { transaction in
            try await transaction.rows(
                """
                WITH old AS (
                    UPDATE cds.feedback_reports r SET anonymised_at = coalesce(r.anonymised_at, \(Date()))
                    WHERE r.submitted_at < now() - \(age) * interval '1 second'
                      AND EXISTS (SELECT 1 FROM cds.feedback_contacts c WHERE c.tenant_id = r.tenant_id AND c.report_id = r.id)
                    RETURNING r.tenant_id, r.id),
                gone AS (
                    DELETE FROM cds.feedback_contacts c USING old WHERE c.tenant_id = old.tenant_id AND c.report_id = old.id RETURNING 1)
                SELECT count(*) FROM gone
                """,
                as: Int.self
            )[0]
        }
    }
}
