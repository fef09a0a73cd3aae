import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import PostgresNIO

/// The handlers' side of a report, in the caller's transaction: read it (with the citizen's contact for those who
/// may handle it, each read audited), move it through the workflow, answer it publicly, note internally, assign it.
/// Every change records who made it and when; a public change is queued for the partner's webhook in the same
/// transaction.
struct ReportHandling {
    let caller: Caller

    /// The columns of a ``HandledReport`` (and the report's id), over `cds.feedback_reports r`.
    static let columns = """
        r.id, r.tracking_code, r.tenant_id, r.status, r.category_code, r.commune_code, r.hamlet_code, r.handling_level,
        r.description, r.address, r.media_urls, r.assignee_id, r.submitted_at, r.due_at, r.answered_at,
        (r.answered_at IS NULL AND r.due_at < now()), r.partner_id
        """

    static func report(_ row: PostgresRow) throws -> (id: Int64, report: HandledReport) {
        var cells = row.makeIterator()
        let id = try cells.decode(Int64.self)
        let code = try cells.decode(String.self)
        let district = try cells.decode(Int.self)
        let status = try cells.decode(String.self)
        let category = try cells.decode(String.self)
        let commune = try cells.decode(Int.self)
        let hamlet = try cells.decode(String?.self)
        let level = try cells.decode(String.self)
        return (
            id,
            HandledReport(
                trackingCode: code,
                district: district,
                status: status,
                serviceCode: category,
                communeCode: commune,
                hamletCode: hamlet,
                handlingLevel: level,
                handlingUnit: level == "commune" ? commune : district,
                description: try cells.decode(String.self),
                address: try cells.decode(String?.self),
                mediaURLs: try cells.decode([String].self),
                assigneeID: try cells.decode(UUID?.self),
                submittedAt: try cells.decode(Date.self).formatted(.iso8601),
                dueAt: try cells.decode(Date.self).formatted(.iso8601),
                answeredAt: try cells.decode(Date?.self)?.formatted(.iso8601),
                overdue: try cells.decode(Bool.self),
                partnerID: try cells.decode(UUID?.self)
            )
        )
    }

    /// The report with this tracking code, locked for a change when `forUpdate`; a 404 when the caller may not
    /// read it (another district's, or a handling unit outside the caller's grants: the same answer as none).
    ///
    /// The lock names the report's district: on a Citus cluster only a statement routed to one shard may lock rows.
    func load(_ code: String, forUpdate: Bool, in transaction: borrowing TenantTransaction) async throws -> (id: Int64, report: HandledReport) {
        var binds = PostgresBindings()
        binds.append(code)
        binds.append(transaction.districtCodes)
        var condition = "r.tenant_id = ANY ($2) AND r.tracking_code = $1"
        if forUpdate {
            guard
                let district = try await transaction.rows(
                    "SELECT tenant_id FROM cds.feedback_reports WHERE tenant_id = ANY (\(transaction.districtCodes)) AND tracking_code = \(code)",
                    as: Int.self
                ).first
            else { throw ProblemDetails.notFound("no report \(code)") }
            binds.append(district)
            condition = "r.tenant_id = $3 AND r.tracking_code = $1 FOR UPDATE"
        }
        let rows = try await transaction.query(
            PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM cds.feedback_reports r WHERE \(condition)", binds: binds)
        )
        for try await row in rows {
            let loaded = try Self.report(row)
            guard caller.policy.permits(.feedbackRead, on: loaded.report.handlingUnit) else { break }
            return loaded
        }
        throw ProblemDetails.notFound("no report \(code)")
    }

    /// The citizen's contact, for a caller who may handle the report; the read is audited as part of `route`. nil
    /// otherwise.
    func contact(
        of id: Int64,
        _ report: HandledReport,
        route: String,
        in transaction: borrowing TenantTransaction
    ) async throws -> HandledReport.Contact? {
        guard caller.policy.permits(.feedbackHandle, on: report.handlingUnit) else { return nil }
        let rows = try await transaction.rows(
            "SELECT contact_name, contact_phone, contact_email FROM cds.feedback_contacts WHERE tenant_id = \(report.district) AND report_id = \(id)",
            as: (String?, String?, String?).self
        )
        guard let (name, phone, email) = rows.first else { return nil }
        try await transaction.recordPersonalDataRead(
            PersonalDataRead(entity: "feedback_contacts", route: route, subjects: [(TenantID(report.district), String(id))])
        )
        return HandledReport.Contact(name: name, phone: phone, email: email)
    }

    func updates(of id: Int64, _ report: HandledReport, in transaction: borrowing TenantTransaction) async throws -> [HandledReport.Update] {
        try await transaction.rows(
            """
            SELECT created_at, kind, status_from, status_to, public_message, internal_note, actor FROM cds.feedback_updates
            WHERE tenant_id = \(report.district) AND report_id = \(id) ORDER BY id
            """,
            as: (Date, String, String?, String?, String?, String?, String).self
        ).map { at, kind, statusFrom, statusTo, publicMessage, internalNote, actor in
            HandledReport.Update(
                at: at.formatted(.iso8601),
                kind: kind,
                statusFrom: statusFrom,
                statusTo: statusTo,
                publicMessage: publicMessage,
                internalNote: internalNote,
                actor: actor
            )
        }
    }

    /// Moves the report to `status`, if the workflow allows it from where it stands.
    func transition(
        _ code: String,
        to status: ReportStatus,
        publicMessage: String?,
        internalNote: String?,
        duplicateOf: String?,
        referredTo: String?,
        in transaction: borrowing TenantTransaction
    ) async throws {
        let (id, report) = try await loadForChange(code, in: transaction)
        let current = ReportStatus(rawValue: report.status) ?? .submitted
        guard current.canMove(to: status) else {
            let allowed = current.next.map(\.rawValue).sorted().joined(separator: ", ")
            throw ProblemDetails.conflict("a report \(current.rawValue) can move to \(allowed), not to \(status.rawValue)")
        }
        var original: Int64?
        if status == .duplicate {
            guard let duplicateOf, duplicateOf != code else {
                throw ProblemDetails.invalidValue(field: "duplicate_of", code: .required, "names the original report, another of the district's")
            }
            original = try await transaction.rows(
                "SELECT id FROM cds.feedback_reports WHERE tenant_id = \(report.district) AND tracking_code = \(duplicateOf)",
                as: Int64.self
            ).first
            guard original != nil else {
                throw ProblemDetails.invalidValue(field: "duplicate_of", code: .unknownValue, "is no report of district \(report.district)")
            }
        }
        if status == .notResponsible, referredTo == nil {
            throw ProblemDetails.invalidValue(field: "referred_to", code: .required, "says who is responsible instead")
        }
        if [.rejected, .notResponsible].contains(status), publicMessage == nil {
            throw ProblemDetails.invalidValue(field: "public_message", code: .required, "tells the citizen why")
        }
        // The answer's time is bound, as the submission's is: Citus refuses a function that is not immutable inside a
        // CASE or coalesce() of an UPDATE.
        try await transaction.query(
            """
            UPDATE cds.feedback_reports
            SET status = \(status.rawValue), duplicate_of = \(original), referred_to = coalesce(\(referredTo), referred_to),
                answered_at = CASE WHEN \(status.isAnswer) THEN coalesce(answered_at, \(Date())) ELSE answered_at END, updated_at = now()
            WHERE tenant_id = \(report.district) AND id = \(id)
            """
        )
        try await record(
            id,
            report,
            kind: "status",
            from: current.rawValue,
            to: status.rawValue,
            publicMessage: publicMessage,
            internalNote: internalNote,
            in: transaction
        )
        try await WebhookOutbox.enqueue(
            "report.status_changed",
            report: id,
            district: report.district,
            data: [
                "tracking_code": code, "status": status.rawValue, "previous_status": current.rawValue, "open311_status": status.open311,
                "message": publicMessage,
            ],
            in: transaction
        )
    }

    /// A public answer to the citizen, the status unchanged.
    func respond(_ code: String, message: String, in transaction: borrowing TenantTransaction) async throws {
        let (id, report) = try await loadForChange(code, in: transaction)
        try await transaction.query("UPDATE cds.feedback_reports SET updated_at = now() WHERE tenant_id = \(report.district) AND id = \(id)")
        try await record(id, report, kind: "response", from: nil, to: nil, publicMessage: message, internalNote: nil, in: transaction)
        try await WebhookOutbox.enqueue(
            "report.responded",
            report: id,
            district: report.district,
            data: ["tracking_code": code, "status": report.status, "message": message],
            in: transaction
        )
    }

    /// A note for the handlers only: never public, never sent to the partner.
    func note(_ code: String, note: String, in transaction: borrowing TenantTransaction) async throws {
        let (id, report) = try await loadForChange(code, in: transaction)
        try await record(id, report, kind: "note", from: nil, to: nil, publicMessage: nil, internalNote: note, in: transaction)
    }

    /// Assigns the report to a staff account that may handle it — active, with feedback.handle on its handling unit
    /// (`cds.holds`) — or to no one (nil). Any other id gets the same answer, whether or not an account has it, so
    /// that assigning reveals nobody.
    func assign(_ code: String, to assignee: UUID?, in transaction: borrowing TenantTransaction) async throws {
        let (id, report) = try await loadForChange(code, in: transaction)
        if let assignee {
            let handles = try await transaction.rows(
                "SELECT cds.holds(\(assignee), \(Permission.feedbackHandle.rawValue), \(report.handlingUnit)::int)",
                as: Bool.self
            )
            guard handles.first == true else {
                throw ProblemDetails.invalidValue(
                    field: "assignee_id",
                    code: .unknownValue,
                    "is not an account that may handle this report (feedback.handle on unit \(report.handlingUnit))"
                )
            }
        }
        try await transaction.query(
            "UPDATE cds.feedback_reports SET assignee_id = \(assignee), updated_at = now() WHERE tenant_id = \(report.district) AND id = \(id)"
        )
        try await record(
            id,
            report,
            kind: "assignment",
            from: nil,
            to: nil,
            publicMessage: nil,
            internalNote: "assigned to \(assignee?.uuidString.lowercased() ?? "no one")",
            in: transaction
        )
    }

    private func loadForChange(_ code: String, in transaction: borrowing TenantTransaction) async throws -> (id: Int64, report: HandledReport) {
        let loaded = try await load(code, forUpdate: true, in: transaction)
        try caller.requireToChange(.feedbackHandle, readable: .feedbackRead, on: loaded.report.handlingUnit, missing: "no report \(code)")
        return loaded
    }

    private func record(
        _ id: Int64,
        _ report: HandledReport,
        kind: String,
        from: String?,
        to: String?,
        publicMessage: String?,
        internalNote: String?,
        in transaction: borrowing TenantTransaction
    ) async throws {
        try await transaction.query(
            """
            INSERT INTO cds.feedback_updates (tenant_id, report_id, kind, status_from, status_to, public_message, internal_note, actor)
            VALUES (\(report.district), \(id), \(kind), \(from), \(to), \(publicMessage), \(internalNote), \(caller.actor.label))
            """
        )
    }
}
