import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird
import PostgresNIO

/// `GET /v1/audit` and `GET /v1/audit/{id}`: the audit log, newest first, for `audit.read`.
///
/// Two logs: a district's own (`log=district`, the default; audit.read on the district or the province) and the
/// control plane's — staff accounts, credentials, grants — which belongs to no district (`log=control`; audit.read
/// on the province). An entry's id names its log: `116-8812` is entry 8812 of district 116, `control-42` entry 42
/// of the control log. Filters: `principal` (the actor, `user:alice`), `entity`, `entity_key`, `action`, `subject`
/// (the reads of personal data that returned this key, a member's id: "who has read this member's personal data"),
/// `request_id` (the server's id of a request, its `X-Request-Id` answer), `client_request_id` (the id a client sent),
/// and a time window `from` / `to` (dates or RFC 3339 times).
struct AuditController: Sendable {
    /// The list's filters, each NULL when absent.
    struct Filters {
        let before: Int64?
        let principal: String?
        let entity: String?
        let entityKey: String?
        let requestID: String?
        let clientRequestID: String?
        let action: String?
        /// A key whose personal data was read: a read's `subjects` holds it, or an earlier per-row read names it.
        let subject: String?
        let from: Date?
        let to: Date?

        /// Appends the conditions of the filters given, `true` when none is.
        /// - Parameter control: whether over the control plane's log, which holds no reads of personal data.
        func append(to sql: inout PostgresQuery.StringInterpolation, control: Bool) {
            sql.appendLiteral("true")
            func condition(_ text: String, _ value: String?) {
                guard let value else { return }
                sql.appendLiteral(" AND \(text) ")
                sql.appendInterpolation(value)
            }
            if let before {
                sql.appendLiteral(" AND a.id < ")
                sql.appendInterpolation(before)
            }
            condition("a.actor =", principal)
            condition("a.entity =", entity)
            condition("a.entity_key =", entityKey)
            condition("a.request_id =", requestID)
            condition("a.client_request_id =", clientRequestID)
            condition("a.action =", action)
            if let subject {
                // Two arms, so that each finds its index: the GIN index of `subjects`, the partial index of reads.
                if control {
                    sql.appendLiteral(" AND false")
                } else {
                    sql.appendLiteral(" AND (a.subjects @> ARRAY[")
                    sql.appendInterpolation(subject)
                    sql.appendLiteral("]::text[] OR (a.action = 'read_personal' AND a.entity_key = ")
                    sql.appendInterpolation(subject)
                    sql.appendLiteral("))")
                }
            }
            if let from {
                sql.appendLiteral(" AND a.occurred_at >= ")
                sql.appendInterpolation(from)
            }
            if let to {
                sql.appendLiteral(" AND a.occurred_at <= ")
                sql.appendInterpolation(to)
            }
        }
    }

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("audit", use: list)
        group.get("audit/{id}", use: show)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<AuditEntry> {
        let caller = try context.requireCaller(holding: .auditRead)
        let query = request.uri.queryParameters
        let limit = try PageLimit.parse(query["limit"].map(String.init))
        let control = try RequestInput.choice(query["log"], field: "log", among: ["district", "control"]) == "control"
        let cursor = try query["cursor"].map { text in
            guard let id = Int64(text), id > 0 else {
                throw ProblemDetails.badRequest(
                    "cursor is not a cursor",
                    errors: [.init(field: "cursor", code: .invalidFormat, message: "must be a next_cursor")]
                )
            }
            return id
        }
        let filters = Filters(
            before: cursor,
            principal: try Self.filter(query["principal"], field: "principal", maxLength: 200),
            entity: try Self.filter(query["entity"], field: "entity", maxLength: 100),
            entityKey: try Self.filter(query["entity_key"], field: "entity_key", maxLength: 200),
            requestID: try Self.filter(query["request_id"], field: "request_id", maxLength: 128),
            clientRequestID: try Self.filter(query["client_request_id"], field: "client_request_id", maxLength: 128),
            action: try RequestInput.choice(query["action"], field: "action", among: ["insert", "update", "delete", "read_personal"]),
            subject: try Self.filter(query["subject"], field: "subject", maxLength: 200),
            from: try Self.instant(query["from"], field: "from"),
            to: try Self.instant(query["to"], field: "to")
        )
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 1024, interpolationCount: 16)
        if control {
            guard caller.policy.permitsOnProvince(.auditRead) else {
                throw ProblemDetails.forbidden("the control-plane log needs audit.read on the province")
            }
            sql.appendLiteral("SELECT \(AuditEntry.controlColumns) FROM cds.control_audit_log a WHERE ")
            filters.append(to: &sql, control: true)
            sql.appendLiteral(" ORDER BY a.id DESC LIMIT ")
            sql.appendInterpolation(limit + 1)
        } else if database.endpoint.engine == .citus {
            // One query, which each shard answers newest first and the coordinator merges (see MergedDistrictPage).
            sql.appendLiteral("SELECT \(AuditEntry.districtColumns) FROM cds.audit_log a WHERE a.tenant_id = ANY (")
            sql.appendInterpolation(caller.policy.reach(of: .auditRead).districts.map(\.rawValue))
            sql.appendLiteral("::int[]) AND ")
            filters.append(to: &sql, control: false)
            sql.appendLiteral(" ORDER BY a.id DESC LIMIT ")
            sql.appendInterpolation(limit + 1)
        } else {
            // One scan per district, newest first, merged (see MergedDistrictPage). The ids come from one
            // sequence, so they order the entries of all districts.
            sql.appendLiteral("SELECT page.* FROM unnest(")
            sql.appendInterpolation(caller.policy.reach(of: .auditRead).districts.map(\.rawValue))
            sql.appendLiteral("::int[]) AS scope (tenant_id) CROSS JOIN LATERAL (SELECT \(AuditEntry.districtColumns) ")
            sql.appendLiteral("FROM cds.audit_log a WHERE a.tenant_id = scope.tenant_id AND ")
            filters.append(to: &sql, control: false)
            sql.appendLiteral(" ORDER BY a.id DESC LIMIT ")
            sql.appendInterpolation(limit + 1)
            sql.appendLiteral(") AS page ORDER BY page.seq DESC LIMIT ")
            sql.appendInterpolation(limit + 1)
        }
        let statement = PostgresQuery(stringInterpolation: sql)
        let rows = try await database.withCallerScope(caller) { transaction in
            try await transaction.rows(statement, decoding: AuditEntry.self)
        }
        return Page(items: Array(rows.prefix(limit)), nextCursor: rows.count > limit ? rows[limit - 1].number : nil)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> AuditEntry {
        let caller = try context.requireCaller()
        let text = try RequestInput.text(context.parameters.get("id").map { Substring($0) }, field: "id", maxLength: 40) ?? ""
        let missing = ProblemDetails.notFound("no audit entry has the id \(text)")
        let parts = text.split(separator: "-", maxSplits: 1)
        guard parts.count == 2, let number = Int64(parts[1]) else { throw missing }
        let rows: [AuditEntry]
        if parts[0] == "control" {
            guard caller.policy.permitsOnProvince(.auditRead) else { throw missing }
            rows = try await database.withCallerScope(caller) { transaction in
                try await transaction.rows(
                    "SELECT \(unescaped: AuditEntry.controlColumns) FROM cds.control_audit_log a WHERE a.id = \(number)",
                    decoding: AuditEntry.self
                )
            }
        } else {
            guard let district = Int(parts[0]), caller.policy.reach(of: .auditRead).districts.contains(TenantID(district)) else { throw missing }
            rows = try await database.withCallerScope(caller) { transaction in
                try await transaction.rows(
                    """
                    SELECT \(unescaped: AuditEntry.districtColumns)
                    FROM cds.audit_log a WHERE a.tenant_id = \(district) AND a.id = \(number)
                    """,
                    decoding: AuditEntry.self
                )
            }
        }
        guard let row = rows.first else { throw missing }
        return row
    }

    /// A date (the day's start, UTC) or an RFC 3339 time.
    static func instant(_ value: Substring?, field: String) throws -> Date? {
        guard let value else { return nil }
        if let day = try? RequestInput.date(value, field: field), let date = try? Date(day + "T00:00:00Z", strategy: .iso8601) {
            return date
        }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard value.count <= 40, let date = (try? Date(String(value), strategy: .iso8601)) ?? (try? fractional.parse(String(value))) else {
            throw ProblemDetails.badRequest(
                "\(field) is not a time",
                errors: [.init(field: field, code: .invalidFormat, message: "must be a date YYYY-MM-DD or an RFC 3339 time")]
            )
        }
        return date
    }

    /// A filter's text: present and not empty, or absent.
    static func filter(_ value: Substring?, field: String, maxLength: Int) throws -> String? {
        guard let text = try RequestInput.text(value, field: field, maxLength: maxLength) else { return nil }
        guard !text.isEmpty else {
            throw ProblemDetails.badRequest(
                "\(field) is empty",
                errors: [.init(field: field, code: .empty, message: "must not be empty; leave it out")]
            )
        }
        return text
    }
}
