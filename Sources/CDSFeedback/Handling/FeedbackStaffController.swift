import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `/v1/feedback/reports`: the handlers' API. Reading needs `feedback.read` on the report's handling unit (its
/// commune, or its district for district-level categories); changing it, `feedback.handle` there. A report
/// outside the caller's grants answers 404, as one that does not exist. The list is a queue: the reports still
/// unanswered first, by due time (so those overdue lead), then the answered ones.
struct FeedbackStaffController: StaffRoutes {
    let database: Database

    static let maximumPageSize = 500

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("feedback/reports", use: list)
        group.get("feedback/reports/{code}", use: show)
        group.post("feedback/reports/{code}/transitions", use: transition)
        group.post("feedback/reports/{code}/responses", use: respond)
        group.post("feedback/reports/{code}/notes", use: note)
        group.put("feedback/reports/{code}/assignee", use: assign)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<HandledReport> {
        let caller = try context.requireCaller(holding: .feedbackRead)
        let query = request.uri.queryParameters
        let limit =
            try query["limit"].map { text in
                guard let value = Int(text), (1...Self.maximumPageSize).contains(value) else {
                    throw ProblemDetails.invalidValue(field: "limit", code: .outOfRange, "must be from 1 to \(Self.maximumPageSize)")
                }
                return value
            } ?? 50
        let offset =
            try query["cursor"].map { text in
                guard let value = Int(text), value >= 0 else {
                    throw ProblemDetails.invalidValue(field: "cursor", code: .invalidFormat, "is not a cursor of this list")
                }
                return value
            } ?? 0
        let status = try query["status"].map { text in
            guard let status = ReportStatus(rawValue: String(text)) else {
                throw ProblemDetails.invalidValue(
                    field: "status",
                    code: .unknownValue,
                    "must be one of \(ReportStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return status.rawValue
        }
        let category = query["category"].map(String.init)
        let unit = try query["unit"].map { text in
            guard let value = Int(text), (1...99_999).contains(value) else {
                throw ProblemDetails.invalidValue(field: "unit", code: .invalidFormat, "is a commune's or district's code")
            }
            return value
        }
        let overdue = try query["overdue"].map { text in
            guard let value = Bool(String(text)) else {
                throw ProblemDetails.invalidValue(field: "overdue", code: .invalidFormat, "is true or false")
            }
            return value
        }
        let reach = caller.policy.reach(of: .feedbackRead)
        let districts = reach.districts.map { Int($0.rawValue) }
        let communes = Array(reach.communes)
        let rows = try await database.withCallerScope(caller) { transaction in
            var reports: [HandledReport] = []
            for try await row in try await transaction.query(
                """
                SELECT \(unescaped: ReportHandling.columns) FROM cds.feedback_reports r
                WHERE (r.tenant_id = ANY(\(districts)) OR (r.handling_level = 'commune' AND r.commune_code = ANY(\(communes))))
                  AND (\(status)::text IS NULL OR r.status = \(status)::text)
                  AND (\(category)::text IS NULL OR r.category_code = \(category)::text)
                  AND (\(unit)::integer IS NULL OR r.commune_code = \(unit)::integer OR r.tenant_id = \(unit)::integer)
                  AND (\(overdue)::boolean IS NULL OR (r.answered_at IS NULL AND r.due_at < now()) = \(overdue)::boolean)
                ORDER BY r.answered_at IS NULL DESC, r.due_at, r.tenant_id, r.id
                LIMIT \(limit + 1) OFFSET \(offset)
                """
            ) {
                reports.append(try ReportHandling.report(row).report)
            }
            return reports
        }
        return Page(items: Array(rows.prefix(limit)), nextCursor: rows.count > limit ? String(offset + limit) : nil)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = context.parameters.get("code") ?? ""
        let handling = ReportHandling(caller: caller)
        let report = try await database.withCallerScope(caller) { transaction in
            var (id, report) = try await handling.load(code, forUpdate: false, in: transaction)
            report.contact = try await handling.contact(of: id, report, route: context.route(of: request), in: transaction)
            report.updates = try await handling.updates(of: id, report, in: transaction)
            return report
        }
        return try Self.json(report)
    }

    struct TransitionBody: JSONRequestBody {
        static let fields: Set<String> = ["status", "public_message", "internal_note", "duplicate_of", "referred_to"]

        let status: String
        let publicMessage: String?
        let internalNote: String?
        let duplicateOf: String?
        let referredTo: String?
    }

    @Sendable func transition(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await JSONBody.decode(TransitionBody.self, from: request)
        guard let status = ReportStatus(rawValue: body.status) else {
            throw ProblemDetails.invalidValue(
                field: "status",
                code: .unknownValue,
                "must be one of \(ReportStatus.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let publicMessage = try Self.text(body.publicMessage, field: "public_message")
        let internalNote = try Self.text(body.internalNote, field: "internal_note")
        let referredTo = try ProblemDetails.validating { try VietnameseText.optional(body.referredTo, field: "referred_to", maxLength: 500) }
        return try await change(context, caller) { handling, code, transaction in
            try await handling.transition(
                code,
                to: status,
                publicMessage: publicMessage,
                internalNote: internalNote,
                duplicateOf: body.duplicateOf,
                referredTo: referredTo,
                in: transaction
            )
        }
    }

    struct MessageBody: JSONRequestBody {
        static let fields: Set<String> = ["message"]

        let message: String
    }

    struct NoteBody: JSONRequestBody {
        static let fields: Set<String> = ["note"]

        let note: String
    }

    @Sendable func respond(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await change(request, context, text: \MessageBody.message) { handling, code, message, transaction in
            try await handling.respond(code, message: message, in: transaction)
        }
    }

    @Sendable func note(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await change(request, context, text: \NoteBody.note) { handling, code, note, transaction in
            try await handling.note(code, note: note, in: transaction)
        }
    }

    struct AssigneeBody: JSONRequestBody {
        static let fields: Set<String> = ["assignee_id"]
        static let nullable: Set<String> = ["assignee_id"]

        let assigneeID: UUID?
    }

    @Sendable func assign(_ request: Request, context: APIRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await JSONBody.decode(AssigneeBody.self, from: request)
        return try await change(context, caller) { handling, code, transaction in
            try await handling.assign(code, to: body.assigneeID, in: transaction)
        }
    }

    // MARK: Helpers

    /// A change whose body is one required text, its only field: a message to the reporter, a note for staff.
    private func change<Body: JSONRequestBody>(
        _ request: Request,
        _ context: APIRequestContext,
        text: KeyPath<Body, String>,
        _ apply: @escaping (ReportHandling, String, String, borrowing TenantTransaction) async throws -> Void
    ) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await JSONBody.decode(Body.self, from: request)
        let text = try Self.requiredText(body[keyPath: text], field: Body.fields.first ?? "")
        return try await change(context, caller) { handling, code, transaction in
            try await apply(handling, code, text, transaction)
        }
    }

    /// Runs `body` on the report of the path in the caller's transaction, and answers the report as it now is.
    private func change(
        _ context: APIRequestContext,
        _ caller: Caller,
        _ body: @escaping (ReportHandling, String, borrowing TenantTransaction) async throws -> Void
    ) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        let handling = ReportHandling(caller: caller)
        let report = try await database.withCallerScope(caller) { transaction in
            try await body(handling, code, transaction)
            var (id, report) = try await handling.load(code, forUpdate: false, in: transaction)
            report.updates = try await handling.updates(of: id, report, in: transaction)
            return report
        }
        return try Self.json(report)
    }

    private static func text(_ value: String?, field: String) throws -> String? {
        try ProblemDetails.validating { try VietnameseText.paragraphs(value, field: field, maxLength: 4000) }
    }

    /// Text that must say something: 422 `required` when it is empty once normalised.
    private static func requiredText(_ value: String, field: String) throws -> String {
        guard let text = try text(value, field: field) else {
            throw ProblemDetails.invalidValue(field: field, code: .required, "is required")
        }
        return text
    }

    private static func json(_ value: some Encodable) throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try WireCoding.sortedEncoder.encode(value)))
        )
    }
}
