import CDSCore
import CDSDatabase
import Foundation

/// A public change of a report: a status change or a response, never an internal note.
public struct PublicUpdate: Hashable, Sendable {
    /// Unique across districts: the district and the update's number in it.
    public let id: String
    public let trackingCode: String
    /// The report's status once this update was made.
    public let status: ReportStatus
    public let message: String?
    public let at: Date

    /// The public updates made from `from` to `until` (either unbounded when nil; of one report, when
    /// `trackingCode` is given), the oldest first, at most `limit`, read in `scope`.
    public static func list(
        trackingCode: String? = nil,
        from: Date?,
        until: Date?,
        limit: Int,
        offset: Int,
        in database: Database,
        scope: TenantScope,
        actor: AuditActor
    ) async throws -> [PublicUpdate] {
        try await database.withTenantScope(scope, actor: actor) { transaction in
            try await transaction.rows(
                """
                SELECT u.tenant_id || '-' || u.id, r.tracking_code,
                       (SELECT s.status_to FROM cds.feedback_updates s
                        WHERE s.tenant_id = u.tenant_id AND s.report_id = u.report_id AND s.kind = 'status' AND s.id <= u.id
                        ORDER BY s.id DESC LIMIT 1),
                       u.public_message, u.created_at
                FROM cds.feedback_updates u
                JOIN cds.feedback_reports r ON r.tenant_id = u.tenant_id AND r.id = u.report_id
                WHERE u.kind IN ('status', 'response')
                  AND (\(from)::timestamptz IS NULL OR u.created_at >= \(from)::timestamptz)
                  AND (\(until)::timestamptz IS NULL OR u.created_at <= \(until)::timestamptz)
                  AND (\(trackingCode)::text IS NULL OR r.tracking_code = \(trackingCode)::text)
                ORDER BY u.created_at, u.tenant_id, u.id
                LIMIT \(limit) OFFSET \(offset)
                """,
                as: (String, String, String, String?, Date).self
            ).map { id, code, status, message, at in
                PublicUpdate(id: id, trackingCode: code, status: ReportStatus(rawValue: status) ?? .submitted, message: message, at: at)
            }
        }
    }
}
