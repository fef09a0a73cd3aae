import CDSCore
import CDSDatabase
import Foundation
import PostgresNIO

/// Which reports a public listing shows: by tracking code (which overrides the rest), or by category, status and
/// submission time; a page at a time, the latest first.
public struct PublicReportQuery: Sendable {
    public var trackingCodes: [String]?
    public var tokens: [UUID]?
    public var categoryCodes: [String]?
    public var statuses: [ReportStatus]?
    public var submittedFrom: Date?
    public var submittedUntil: Date?
    /// Only this partner's reports (the native API's own listing).
    public var partner: UUID?
    public var limit = 1000
    public var offset = 0

    public init() {}

    /// The reports, read in `scope` (every district for the public; the partner's for a partner).
    public func run(in database: Database, scope: TenantScope, actor: AuditActor) async throws -> [PublicReport] {
        try await database.withTenantScope(scope, actor: actor) { transaction in
            let rows = try await transaction.query(
                """
                SELECT r.tracking_code, r.token, r.status,
                       (SELECT u.public_message FROM cds.feedback_updates u
                        WHERE u.tenant_id = r.tenant_id AND u.report_id = r.id AND u.kind IN ('status', 'response')
                          AND u.public_message IS NOT NULL
                        ORDER BY u.id DESC LIMIT 1),
                       r.category_code, coalesce(c.name, r.category_code), r.description, agency.name,
                       r.commune_code, r.hamlet_code, r.address, r.latitude, r.longitude, r.media_urls,
                       r.submitted_at, r.updated_at, r.due_at
                FROM cds.feedback_reports r
                LEFT JOIN cds.feedback_categories c ON c.code = r.category_code
                JOIN cds.units agency ON agency.code = CASE r.handling_level WHEN 'commune' THEN r.commune_code ELSE r.tenant_id END
                WHERE (\(trackingCodes)::text[] IS NULL OR r.tracking_code = ANY(\(trackingCodes)::text[]))
                  AND (\(tokens)::uuid[] IS NULL OR r.token = ANY(\(tokens)::uuid[]))
                  AND (\(categoryCodes)::text[] IS NULL OR r.category_code = ANY(\(categoryCodes)::text[]))
                  AND (\(statuses?.map(\.rawValue))::text[] IS NULL OR r.status = ANY(\(statuses?.map(\.rawValue))::text[]))
                  AND (\(submittedFrom)::timestamptz IS NULL OR r.submitted_at >= \(submittedFrom)::timestamptz)
                  AND (\(submittedUntil)::timestamptz IS NULL OR r.submitted_at <= \(submittedUntil)::timestamptz)
                  AND (\(partner)::uuid IS NULL OR r.partner_id = \(partner)::uuid)
                ORDER BY r.submitted_at DESC, r.tenant_id, r.id DESC
                LIMIT \(limit) OFFSET \(offset)
                """
            )
            var reports: [PublicReport] = []
            for try await row in rows {
                var cells = row.makeIterator()
                reports.append(
                    PublicReport(
                        trackingCode: try cells.decode(String.self),
                        token: try cells.decode(UUID.self),
                        status: ReportStatus(rawValue: try cells.decode(String.self)) ?? .submitted,
                        statusNotes: try cells.decode(String?.self),
                        categoryCode: try cells.decode(String.self),
                        categoryName: try cells.decode(String.self),
                        description: try cells.decode(String.self),
                        agency: try cells.decode(String.self),
                        location: ReportLocation(communeCode: try cells.decode(Int.self), hamletCode: try cells.decode(String?.self)),
                        address: try cells.decode(String?.self),
                        latitude: try cells.decode(Double?.self),
                        longitude: try cells.decode(Double?.self),
                        mediaURLs: try cells.decode([String].self),
                        submittedAt: try cells.decode(Date.self),
                        updatedAt: try cells.decode(Date.self),
                        dueAt: try cells.decode(Date.self)
                    )
                )
            }
            return reports
        }
    }
}
