import CDSCore
import CDSDatabase
import Foundation
import PostgresNIO

/// Files a checked report: the report with its tracking code (`PAKN-year-number`, from the province-wide sequence),
/// the citizen's contact apart from it (when given) and its first status, in one statement — one round trip, not
/// three. A prepared statement, since every submission runs it. Its row: the tracking code and the report's token.
///
/// Every INSERT returns its rows: Citus sends an `INSERT … SELECT` without `RETURNING` to the shards as `COPY`, which
/// PostgreSQL refuses on a table with row-level security.
struct ReportFilingStatement: PostgresPreparedStatement {
    typealias Row = (trackingCode: String, token: UUID)

    static let sql = """
        WITH report AS (
            INSERT INTO cds.feedback_reports (tenant_id, tracking_code, category_code, commune_code, hamlet_code, handling_level,
                latitude, longitude, address, description, media_urls, attributes, partner_id, due_at, submitted_at, updated_at)
            SELECT $1, 'PAKN-' || $2 || '-' || lpad(n::text, greatest(6, length(n::text)), '0'), $3, $4, $5, $6, $7, $8, $9,
                   $10, $11, $12::jsonb, $13, $14, $15, $15
            FROM nextval('cds.feedback_tracking_numbers') AS n
            RETURNING id, tracking_code, token
        ), contact AS (
            INSERT INTO cds.feedback_contacts (tenant_id, report_id, contact_name, contact_phone, contact_email)
            SELECT $1, id, $16, $17, $18 FROM report WHERE $19
            RETURNING report_id
        ), first_status AS (
            INSERT INTO cds.feedback_updates (tenant_id, report_id, kind, status_to, actor, created_at)
            SELECT $1, id, 'status', 'submitted', $20, $15 FROM report
            RETURNING report_id
        )
        SELECT tracking_code, token FROM report
        """

    static let bindingDataTypes: [PostgresDataType] = [
        .int8, .text, .text, .int8, .text, .text, .float8, .float8, .text, .text, .textArray, .text, .uuid, .timestamptz,
        .timestamptz, .text, .text, .text, .bool, .text,
    ]

    let submission: ReportSubmission
    let district: Int
    let partner: PartnerApp?
    let actor: AuditActor
    let submittedAt: Date
    let dueAt: Date

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 20)
        let location = submission.location
        let contact = submission.contact
        bindings.append(district)
        bindings.append(String(LocalDay(containing: submittedAt).description.prefix(4)))
        bindings.append(submission.category.code)
        bindings.append(location.communeCode)
        try bindings.append(optional: location.hamletCode)
        bindings.append(submission.category.handlingLevel.rawValue)
        try bindings.append(optional: submission.latitude)
        try bindings.append(optional: submission.longitude)
        try bindings.append(optional: submission.address)
        bindings.append(submission.description)
        bindings.append(submission.mediaURLs)
        bindings.append(String(decoding: try JSONEncoder().encode(submission.attributes), as: UTF8.self))
        try bindings.append(optional: partner?.id)
        bindings.append(dueAt)
        bindings.append(submittedAt)
        try bindings.append(optional: contact.name)
        try bindings.append(optional: contact.phone?.national)
        try bindings.append(optional: contact.email)
        bindings.append(!contact.isEmpty)
        bindings.append(actor.label)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        var cells = row.makeIterator()
        return (try cells.decode(String.self), try cells.decode(UUID.self))
    }
}
