import CDSCore
import CDSDatabase
import Foundation

/// The webhook outbox: a message for the report's partner, written in the transaction of the change it tells
/// about, so that a change is never told without happening nor happens without being told. Only partners with a
/// webhook URL get one; cds-server's delivery worker sends them.
enum WebhookOutbox {
    /// Queues `event` about report `reportID` of `district` for its partner, if the partner has a webhook URL.
    static func enqueue(
        _ event: String,
        report reportID: Int64,
        district: Int,
        data: [String: String?],
        in transaction: borrowing TenantTransaction
    ) async throws {
        let payload = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
        // RETURNING: Citus sends an INSERT … SELECT without it to the shards as COPY, which row-level security refuses.
        // The rows are read, so that an error that follows them is not missed.
        _ = try await transaction.rows(
            """
            INSERT INTO cds.webhook_deliveries (tenant_id, message_id, partner_id, report_id, event_type, payload)
            SELECT r.tenant_id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), r.partner_id, r.id, \(event),
                   jsonb_build_object('type', \(event)::text, 'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                                      'data', \(payload)::jsonb)
            FROM cds.feedback_reports r JOIN cds.partner_apps p ON p.id = r.partner_id
            WHERE r.tenant_id = \(district) AND r.id = \(reportID) AND p.webhook_url IS NOT NULL
            RETURNING message_id
            """,
            as: String.self
        )
    }
}
