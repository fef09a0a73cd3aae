import CDSCore
import CDSDatabase
import Foundation
import PostgresNIO

/// Files checked reports: routed to the district of their commune and to the category's handling level, given a
/// tracking code and a due time, in one transaction scoped to that district (the report, the citizen's contact
/// apart from it, and its first status).
public struct ReportIntake: Sendable {
    let database: Database
    let catalogue: FeedbackCatalogue

    public init(database: Database, catalogue: FeedbackCatalogue) {
        self.database = database
        self.catalogue = catalogue
    }

    /// Files `submission` in a transaction of its own.
    /// - Parameter partner: the app that relays it, nil when staff enter it.
    /// - Throws: as ``district(for:partner:)``; ``SubmissionFaults`` for a hamlet not in force.
    public func file(_ submission: ReportSubmission, partner: PartnerApp?, actor: AuditActor, now: Date = Date()) async throws -> FiledReport {
        let district = try district(for: submission.location, partner: partner)
        return try await database.withTenantScope(TenantScope([TenantID(district)]), actor: actor) { transaction in
            try await file(submission, district: district, partner: partner, actor: actor, now: now, in: transaction)
        }
    }

    /// The district a report about `location` lands in.
    /// - Throws: ``SubmissionFaults`` for a commune that does not exist (or is retired);
    ///   ``IntakeRefusal/outsideScope(district:)`` when `partner` does not reach the district.
    public func district(for location: ReportLocation, partner: PartnerApp?) throws -> Int {
        guard let district = catalogue.communeDistricts[location.communeCode] else {
            throw SubmissionFaults(faults: [Self.unknownLocation(location)])
        }
        if let partner, !partner.reaches(TenantID(district)) { throw IntakeRefusal.outsideScope(district: district) }
        return district
    }

    /// Files `submission` in `transaction`, scoped to `district` (from ``district(for:partner:)``).
    /// - Throws: ``SubmissionFaults`` for a hamlet that is not in force in the commune.
    public func file(
        _ submission: ReportSubmission,
        district: Int,
        partner: PartnerApp?,
        actor: AuditActor,
        now: Date,
        in transaction: borrowing TenantTransaction
    ) async throws -> FiledReport {
        let location = submission.location
        let due = catalogue.calendar.due(submitted: now, workingDays: submission.category.slaWorkingDays)
        let year = LocalDay(containing: now).description.prefix(4)
        if let hamlet = location.hamletCode {
            let known = try await transaction.rows(
                """
                SELECT count(*) FROM cds.hamlets
                WHERE tenant_id = \(district) AND code = \(hamlet) AND commune_code = \(location.communeCode)
                  AND (valid_to IS NULL OR valid_to > current_date)
                """,
                as: Int64.self
            )[0]
            guard known == 1 else { throw SubmissionFaults(faults: [Self.unknownLocation(location)]) }
        }
        let attributes = String(decoding: try JSONEncoder().encode(submission.attributes), as: UTF8.self)
        let contact = submission.contact
        // The report, its contact (if any) and its first status in one statement: one round trip, not three.
        let (code, token) = try await transaction.rows(
            """
            WITH report AS (
                INSERT INTO cds.feedback_reports (tenant_id, tracking_code, category_code, commune_code, hamlet_code, handling_level,
                    latitude, longitude, address, description, media_urls, attributes, partner_id, due_at, submitted_at, updated_at)
                SELECT \(district), 'PAKN-' || \(String(year)) || '-' || lpad(n::text, greatest(6, length(n::text)), '0'),
                       \(submission.category.code), \(location.communeCode), \(location.hamletCode),
                       \(submission.category.handlingLevel.rawValue), \(submission.latitude), \(submission.longitude),
                       \(submission.address), \(submission.description), \(submission.mediaURLs), \(attributes)::jsonb,
                       \(partner?.id), \(due), \(now), \(now)
                FROM nextval('cds.feedback_tracking_numbers') AS n
                RETURNING id, tracking_code, token
            ), contact AS (
                INSERT INTO cds.feedback_contacts (tenant_id, report_id, contact_name, contact_phone, contact_email)
                SELECT \(district), id, \(contact.name), \(contact.phone?.national), \(contact.email) FROM report
                WHERE \(!contact.isEmpty)
            ), first_status AS (
                INSERT INTO cds.feedback_updates (tenant_id, report_id, kind, status_to, actor, created_at)
                SELECT \(district), id, 'status', 'submitted', \(actor.label), \(now) FROM report
            )
            SELECT tracking_code, token FROM report
            """,
            as: (String, UUID).self
        )[0]
        return FiledReport(trackingCode: code, token: token, district: district, status: .submitted, submittedAt: now, dueAt: due)
    }

    private static func unknownLocation(_ location: ReportLocation) -> ValidationError {
        ValidationError(field: "address_id", code: .unknownValue, message: "no commune or hamlet in force has the code \(location)")
    }
}
