import CDSCore
import CDSDatabase
import Foundation
import Hummingbird

/// `GET /v1/reports/establishment`: the establishment table (the same figures as
/// `cds-admin report establishment`) over the districts where the caller holds `reports.read`.
/// JSON by default; `format=csv` is the province's CSV with a UTF-8 byte-order mark, so that Excel opens
/// Vietnamese text correctly.
struct ReportsController: Sendable {
    let database: Database

    func addRoutes(to group: RouterGroup<AdminRequestContext>) {
        group.get("reports/establishment", use: establishment)
    }

    @Sendable func establishment(_ request: Request, context: AdminRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.requirePermissionSomewhere(.reportsRead)
        let format = try TeamsController.choice(request.uri.queryParameters["format"], field: "format", among: ["json", "csv"]) ?? "json"
        // Aggregated counts, no personal data: a grant on a commune reads its district's figures.
        let reach = caller.policy.reach(of: .reportsRead)
        let districts = reach.districts.union(reach.communes.compactMap { caller.policy.district(of: $0) })
        let report = try await database.withTenantScope(TenantScope(districts), actor: caller.actor) { transaction in
            try await EstablishmentReport.compute(in: transaction)
        }
        if format == "csv" {
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: #"attachment; filename="establishment.csv""#],
                body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + report.csv))
            )
        }
        struct Document: Encodable {
            let districts: [EstablishmentReport.Row]
            let total: EstablishmentReport.Row
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let body = try encoder.encode(Document(districts: report.rows, total: report.total))
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
