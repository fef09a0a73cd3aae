import CDSCore
import CDSHTTP
import CDSReports
import CDSWire
import Foundation
import Hummingbird

/// `/console/reports/{name}`: the admin API's four reports as pages, and each as the API's CSV to download
/// (`{name}.csv`, UTF-8 with a byte-order mark, cells that a spreadsheet would run as formulas neutralised).
struct ReportsPage: Sendable {
    let console: WebConsole

    enum Report: String, CaseIterable {
        case establishment, coverage, trainings, activities
    }

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("reports") { _, _ in PageRenderer.redirect(to: "/console/reports/establishment") }
        group.get("reports/{name}") { request, context in
            try await console.signedIn(request, context) { try await show(request, context, $0) }
        }
    }

    func show(_ request: Request, _ context: APIRequestContext, _ visitor: Visitor) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        let csv = name.hasSuffix(".csv")
        guard let report = Report(rawValue: csv ? String(name.dropLast(4)) : name) else {
            throw ProblemDetails.notFound("no report is named \(name)")
        }
        let query = FormFields.parse(request.uri.query ?? "")
        // Only the activities are counted over a period: the dates as the form sends them (`30/09/2023` or ISO).
        let period: [(String, String?)] =
            report == .activities
            ? [("from", query["from"].flatMap(VietnameseFormat.isoDate)), ("to", query["to"].flatMap(VietnameseFormat.isoDate))] : []
        if csv {
            let file = try await console.api.download(
                "/v1/reports/\(report.rawValue)",
                query: [("format", "csv")] + period,
                context: visitor.context
            )
            var headers = PageRenderer.securityHeaders
            headers.append(contentsOf: file.headers)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.body)))
        }
        var values = visitor.frame
        values["table"] = try await table(report, period: period, visitor).values
        values["reports"] = Report.allCases.map { other in
            [
                "name": other.rawValue, "title": console.pages.catalogue.text("report_\(other.rawValue)_title", visitor.language),
                "current": other == report,
            ]
        }
        values["title"] = console.pages.catalogue.text("report_\(report.rawValue)_title", visitor.language)
        values["download"] = "/console/reports/\(report.rawValue).csv" + FormFields.query(period)
        if report == .activities {
            values["period"] = ["from": query["from"] ?? "", "to": query["to"] ?? ""]
        }
        return console.pages.render("report", values, language: visitor.language)
    }

    private struct Establishment: Decodable, Sendable {
        let districts: [EstablishmentReport.Row]
        let total: EstablishmentReport.Row
    }

    private struct Items<Row: Decodable & Sendable>: Decodable, Sendable {
        let items: [Row]
    }

    private func table(_ report: Report, period: [(String, String?)], _ visitor: Visitor) async throws -> TableModel {
        let api = console.api
        let context = visitor.context
        let tables = ReportTables(words: console.pages.catalogue, language: visitor.language)
        switch report {
        case .establishment:
            let document = try await api.get("/v1/reports/establishment", as: Establishment.self, context: context).body
            return tables.establishment(document.districts, total: document.total)
        case .coverage:
            let rows = try await api.get("/v1/reports/coverage", as: Items<CoverageReport.Row>.self, context: context).body.items
            return tables.coverage(rows, districtNames: try await districtNames(visitor))
        case .trainings:
            let rows = try await api.get("/v1/reports/trainings", as: Items<TrainingCoverageReport.Row>.self, context: context).body.items
            return tables.trainings(rows, districtNames: try await districtNames(visitor))
        case .activities:
            let rows = try await api.get("/v1/reports/activities", query: period, as: Items<ActivityTotalsReport.Row>.self, context: context)
                .body.items
            return tables.activities(rows)
        }
    }

    /// The province's districts by code, as the registry names them (national units: the same for everyone).
    private func districtNames(_ visitor: Visitor) async throws -> [Int: String] {
        let districts = try await console.api.get(
            "/v1/units",
            query: [("level", "district"), ("limit", "100")],
            as: Wire.Page<Wire.Unit>.self,
            context: visitor.context
        ).body.items
        return Dictionary(districts.compactMap { unit in Int(unit.code).map { ($0, unit.name) } }) { first, _ in first }
    }
}
