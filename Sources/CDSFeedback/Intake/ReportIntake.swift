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
        let filed = try await database.withTenantScope(TenantScope([TenantID(district)]), actor: actor) { transaction in
            try await file(submission, district: district, partner: partner, actor: actor, now: now, in: transaction)
        }
        FeedbackMetrics.filed(.open311)
        return filed
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
        let (code, token) = try await transaction.execute(
            ReportFilingStatement(submission: submission, district: district, partner: partner, actor: actor, submittedAt: now, dueAt: due)
        )[0]
        return FiledReport(trackingCode: code, token: token, district: district, status: .submitted, submittedAt: now, dueAt: due)
    }

    private static func unknownLocation(_ location: ReportLocation) -> ValidationError {
        ValidationError(field: "address_id", code: .unknownValue, message: "no commune or hamlet in force has the code \(location)")
    }
}
