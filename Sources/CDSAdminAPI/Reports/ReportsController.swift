import CDSCore
import CDSDatabase
import CDSHTTP
import CDSReports
import CDSWire
import Foundation
import Hummingbird

/// `GET /v1/reports/...`: figures computed from the registry over the districts (or, for a commune grant, the
/// communes) where the caller holds `reports.read`, optionally narrowed to one `district`. JSON by default;
/// `format=csv` is CSV with a UTF-8 byte-order mark, so that Excel opens Vietnamese text correctly.
///
/// - `establishment`: the province's establishment table, the same figures as `cds-admin report establishment`;
///   district totals, which a commune grant also reads (aggregated counts, no personal data).
/// - `coverage`: per commune, hamlets with and without an active team.
/// - `trainings`: per commune, members trained out of members.
/// - `activities`: guidance activities and residents reached by month and topic (`from`, `to`).
struct ReportsController: Sendable {
    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("reports/establishment", use: establishment)
        group.get("reports/coverage", use: coverage)
        group.get("reports/trainings", use: trainings)
        group.get("reports/activities", use: activities)
    }

    /// Where a report is computed: the transaction's scope, and within it the whole districts and single communes.
    struct Extent {
        let scope: TenantScope
        let report: ReportExtent
        let csv: Bool
    }

    @Sendable func establishment(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (caller, extent) = try Self.extent(request, context)
        let report = try await database.withTenantScope(extent.scope, actor: caller.actor) { transaction in
            try await EstablishmentReport.compute(in: transaction)
        }
        if extent.csv { return Self.csv(report.csv, name: "establishment") }
        struct Document: Encodable {
            let districts: [EstablishmentReport.Row]
            let total: EstablishmentReport.Row
        }
        return try Self.json(Document(districts: report.rows, total: report.total))
    }

    @Sendable func coverage(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (caller, extent) = try Self.extent(request, context)
        let rows = try await database.withTenantScope(extent.scope, actor: caller.actor) { transaction in
            try await CoverageReport.compute(extent.report, in: transaction)
        }
        return try Self.respond(rows, extent: extent, name: "coverage")
    }

    @Sendable func trainings(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (caller, extent) = try Self.extent(request, context)
        let rows = try await database.withTenantScope(extent.scope, actor: caller.actor) { transaction in
            try await TrainingCoverageReport.compute(extent.report, in: transaction)
        }
        return try Self.respond(rows, extent: extent, name: "trainings")
    }

    @Sendable func activities(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (caller, extent) = try Self.extent(request, context)
        let query = request.uri.queryParameters
        let from = try RequestInput.date(query["from"], field: "from")
        let to = try RequestInput.date(query["to"], field: "to")
        let rows = try await database.withTenantScope(extent.scope, actor: caller.actor) { transaction in
            try await ActivityTotalsReport.compute(extent.report, from: from, to: to, in: transaction)
        }
        return try Self.respond(rows, extent: extent, name: "activities")
    }

    /// The caller's `reports.read` reach, narrowed to `district` when asked (another district is a 404).
    static func extent(_ request: Request, _ context: APIRequestContext) throws -> (Caller, Extent) {
        let caller = try context.requireCaller(holding: .reportsRead)
        let query = request.uri.queryParameters
        let csv = try RequestInput.choice(query["format"], field: "format", among: ["json", "csv"]) == "csv"
        let reach = caller.policy.reach(of: .reportsRead)
        var districts = reach.touchedDistricts
        if let text = try RequestInput.text(query["district"], field: "district", maxLength: 6) {
            guard let code = Int(text), text.allSatisfy(\.isNumber), districts.contains(TenantID(code)) else {
                throw ProblemDetails.notFound("district: no district in your reports has the code \(text)")
            }
            districts = [TenantID(code)]
        }
        let report = ReportExtent(
            districts: reach.districts.intersection(districts).map(\.rawValue).sorted(),
            communes: reach.communes.filter { caller.policy.district(of: $0).map(districts.contains) == true }.sorted()
        )
        return (caller, Extent(scope: TenantScope(districts), report: report, csv: csv))
    }

    static func respond<Row: ReportRow>(_ rows: [Row], extent: Extent, name: String) throws -> Response {
        if extent.csv { return csv(rows.csv, name: name) }
        return try json(["items": rows])
    }

    static func csv(_ text: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: #"attachment; filename="\#(name).csv""#],
            body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + text))
        )
    }

    static func json(_ document: some Encodable) throws -> Response {
        let body = try WireCoding.encoder.encode(document)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
