import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import HTTPTypes
import Hummingbird

/// The native partner API under `/v1/partner`, for apps that relay citizens' reports: file one (with an
/// `Idempotency-Key`), follow the partner's own reports and their public updates, pass on a citizen's follow-up,
/// anonymise a report at the citizen's request. The API key goes in `X-API-Key`; a partner sees only its own
/// reports, in its own districts — another's are not found.
struct PartnerController: Sendable {
    let database: Database
    let gate: PartnerGate
    let catalogue: ReferenceCache<FeedbackCatalogue>

    static let apiKeyHeader = HTTPField.Name("X-API-Key")!
    static let idempotencyKeyHeader = HTTPField.Name("Idempotency-Key")!
    static let maximumPageSize = 100

    func addRoutes(to router: Router<APIRequestContext>) {
        let group = router.group("v1/partner")
        group.post("reports", use: file)
        group.get("reports", use: list)
        group.get("reports/{code}", use: show)
        group.post("reports/{code}/follow-ups", use: followUp)
        group.post("reports/{code}/anonymise", use: anonymise)
    }

    @Sendable func file(_ request: Request, context: APIRequestContext) async throws -> Response {
        let partner = try await admit(request, context)
        let body = try await JSONBody.bytes(of: request)
        guard let header = request.headers[Self.idempotencyKeyHeader] else {
            throw ProblemDetails.badRequest("send an Idempotency-Key header: a retried submission is then filed once")
        }
        guard let key = IdempotencyKey(header: header, partner: partner.id, body: body) else {
            throw ProblemDetails.badRequest("the Idempotency-Key must be 1 to 255 printable ASCII characters")
        }
        let actor = partner.auditActor.serving(request: context.id, client: context.clientRequestID)
        do {
            // A repeat is answered before anything else is read.
            try await IdempotentIntake.checkStored(key, in: database)
            let intake = IdempotentIntake(
                intake: ReportIntake(database: database, catalogue: try await catalogue.current()),
                database: database
            )
            let fields = try JSONBody.decode(PartnerReportBody.self, from: body)
            let submission = try ReportSubmission.check(fields.draft, catalogue: intake.intake.catalogue)
            let (status, stored) = try await intake.file(submission, key: key, partner: partner, actor: actor) { filed in
                (201, try WireCoding.sortedEncoder.encode(PartnerFiledView(filed)))
            }
            return Self.json(stored, status: status)
        } catch let outcome as IdempotencyOutcome {
            switch outcome {
            case .inFlight:
                throw ProblemDetails(
                    "idempotency-in-flight",
                    title: "Conflict",
                    status: .conflict,
                    detail: "a request with this Idempotency-Key is still being processed; retry later"
                )
            case .reusedWithOtherBody:
                throw ProblemDetails(
                    "idempotency-key-reused",
                    title: "Idempotency-Key reused",
                    status: .unprocessableContent,
                    detail: "this Idempotency-Key was used with another body; use a new key for a new report"
                )
            case .replay(let status, let stored):
                return Self.json(stored, status: status)
            }
        } catch let faults as SubmissionFaults {
            throw ProblemDetails(
                "invalid-value",
                title: "Invalid value",
                status: .unprocessableContent,
                detail: "\(faults.faults.count) fields are wrong; nothing was filed",
                errors: faults.faults.map { .init(field: PartnerReportBody.field($0.field), code: $0.code, message: $0.message) }
            )
        } catch IntakeRefusal.outsideScope(let district) {
            throw ProblemDetails.forbidden("this API key may not file reports in district \(district)")
        }
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let partner = try await admit(request, context)
        let parameters = request.uri.queryParameters
        let limit =
            try parameters.get("limit").map { text in
                guard let value = Int(text), (1...Self.maximumPageSize).contains(value) else {
                    throw ProblemDetails.invalidValue(field: "limit", code: .outOfRange, "must be from 1 to \(Self.maximumPageSize)")
                }
                return value
            } ?? 50
        let offset =
            try parameters.get("cursor").map { text in
                guard let value = Int(text), value >= 0 else {
                    throw ProblemDetails.invalidValue(field: "cursor", code: .invalidFormat, "is not a cursor of this list")
                }
                return value
            } ?? 0
        var query = PublicReportQuery()
        query.partner = partner.id
        query.limit = limit + 1
        query.offset = offset
        let reports = try await query.run(
            in: database,
            scope: try await scope(of: partner),
            actor: partner.auditActor.serving(request: context.id, client: context.clientRequestID)
        )
        let page = Page(
            items: reports.prefix(limit).map { PartnerReportView($0, updates: nil) },
            nextCursor: reports.count > limit ? String(offset + limit) : nil
        )
        return Self.json(try WireCoding.sortedEncoder.encode(page), status: 200)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let partner = try await admit(request, context)
        let actor = partner.auditActor.serving(request: context.id, client: context.clientRequestID)
        let report = try await ownReport(context, partner: partner, actor: actor)
        let updates = try await PublicUpdate.list(
            trackingCode: report.trackingCode,
            from: nil,
            until: nil,
            limit: 1000,
            offset: 0,
            in: database,
            scope: try await scope(of: partner),
            actor: actor
        )
        return Self.json(try WireCoding.sortedEncoder.encode(PartnerReportView(report, updates: updates)), status: 200)
    }

    struct FollowUpBody: JSONRequestBody {
        static let fields: Set<String> = ["message"]

        let message: String
    }

    /// The citizen's follow-up, passed on to the report's handlers (not shown publicly).
    @Sendable func followUp(_ request: Request, context: APIRequestContext) async throws -> Response {
        let partner = try await admit(request, context)
        let actor = partner.auditActor.serving(request: context.id, client: context.clientRequestID)
        let body = try await JSONBody.decode(FollowUpBody.self, from: request)
        let message = try ProblemDetails.validating { try VietnameseText.paragraphs(body.message, field: "message", maxLength: 4000) }
        guard let message else { throw ProblemDetails.invalidValue(field: "message", code: .required, "is required") }
        let report = try await ownReport(context, partner: partner, actor: actor)
        try await database.withTenantScope(try await scope(of: partner), actor: actor) { transaction in
            // RETURNING: Citus sends an INSERT … SELECT without it to the shards as COPY, which row-level security refuses.
            // The rows are read, so that an error that follows them is not missed.
            _ = try await transaction.rows(
                """
                WITH report AS (
                    UPDATE cds.feedback_reports SET updated_at = now()
                    WHERE tracking_code = \(report.trackingCode) AND partner_id = \(partner.id) RETURNING tenant_id, id)
                INSERT INTO cds.feedback_updates (tenant_id, report_id, kind, public_message, actor)
                SELECT tenant_id, id, 'follow_up', \(message), \(actor.label) FROM report
                RETURNING report_id
                """,
                as: Int64.self
            )
        }
        return Response(status: .noContent)
    }

    /// Removes the citizen's contact at the citizen's request; the report stays.
    @Sendable func anonymise(_ request: Request, context: APIRequestContext) async throws -> Response {
        let partner = try await admit(request, context)
        let actor = partner.auditActor.serving(request: context.id, client: context.clientRequestID)
        let report = try await ownReport(context, partner: partner, actor: actor)
        try await database.withTenantScope(try await scope(of: partner), actor: actor) { transaction in
            try await transaction.query(
                """
                WITH report AS (
                    UPDATE cds.feedback_reports SET anonymised_at = coalesce(anonymised_at, \(Date())), updated_at = now()
                    WHERE tracking_code = \(report.trackingCode) AND partner_id = \(partner.id) RETURNING tenant_id, id)
                DELETE FROM cds.feedback_contacts c USING report WHERE c.tenant_id = report.tenant_id AND c.report_id = report.id
                """
            )
        }
        return Response(status: .noContent)
    }

    // MARK: Helpers

    private func admit(_ request: Request, _ context: APIRequestContext) async throws -> PartnerApp {
        do {
            return try await gate.admit(apiKey: request.headers[Self.apiKeyHeader], from: context.clientAddress, noting: context.note)
        } catch PartnerGate.Refusal.unknownKey {
            throw ProblemDetails(
                "unauthorized",
                title: "Authentication required",
                status: .unauthorized,
                detail: "send the partner app's API key in X-API-Key",
                headers: [.wwwAuthenticate: #"ApiKey realm="cds-partner", header="X-API-Key""#]
            )
        }
    }

    /// The partner's districts; every district for a partner that reaches them all.
    private func scope(of partner: PartnerApp) async throws -> TenantScope {
        if let districts = partner.districts { return TenantScope(districts) }
        return try await database.provinceScope()
    }

    /// The report named in the path, if it is this partner's; 404 otherwise (another partner's looks the same as none).
    private func ownReport(_ context: APIRequestContext, partner: PartnerApp, actor: AuditActor) async throws -> PublicReport {
        let code = context.parameters.get("code") ?? ""
        var query = PublicReportQuery()
        query.trackingCodes = [code]
        query.partner = partner.id
        guard let report = try await query.run(in: database, scope: try await scope(of: partner), actor: actor).first else {
            throw ProblemDetails.notFound("this partner app has no report \(code)")
        }
        return report
    }

    private static func json(_ body: Data, status: Int) -> Response {
        Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
