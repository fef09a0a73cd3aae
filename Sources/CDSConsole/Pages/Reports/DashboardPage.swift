import CDSCore
import CDSHTTP
import CDSWire
import CDSReports
import Foundation
import Hummingbird

/// `/console`: the establishment table of the visitor's districts as the province's report prints it, the hamlets
/// with a team per district as a bar chart drawn by the server, the members trained and those without a smartphone,
/// and the feedback open past its due time; through the admin API's reports, so that each figure is the API's (and `cds-admin report`'s) own.
struct DashboardPage: Sendable {
    let console: WebConsole

    struct Establishment: Decodable, Sendable {
        let districts: [EstablishmentReport.Row]
        let total: EstablishmentReport.Row
    }

    struct Items<Row: Decodable & Sendable>: Decodable, Sendable {
        let items: [Row]
    }

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get { request, context in try await console.signedIn(request, context) { try await show($0) } }
    }

    func show(_ visitor: Visitor) async throws -> Response {
        var values = visitor.frame
        guard visitor.caller.policy.permitsSomewhere(.reportsRead) else {
            values["noReports"] = true
            return console.pages.render("dashboard", values, language: visitor.language)
        }
        let api = console.api
        let context = visitor.context
        let establishment = try await api.get("/v1/reports/establishment", as: Establishment.self, context: context).body
        let coverage = try await api.get("/v1/reports/coverage", as: Items<CoverageReport.Row>.self, context: context).body.items
        let training = try await api.get("/v1/reports/trainings", as: Items<TrainingCoverageReport.Row>.self, context: context).body.items
        let feedback = try await api.get("/v1/reports/feedback", as: Wire.FeedbackReport.self, context: context).body

        values["establishment"] =
            ReportTables(words: console.pages.catalogue, language: visitor.language)
            .establishment(establishment.districts, total: establishment.total).values
        let hamlets = coverage.reduce(0) { $0 + $1.hamlets }
        let covered = coverage.reduce(0) { $0 + $1.hamletsWithTeam }
        let members = training.reduce(0) { $0 + $1.members }
        let trained = training.reduce(0) { $0 + $1.trained }
        values["coverage"] = VietnameseFormat.percent(covered, of: hamlets)
        values["coverageCounts"] = "\(VietnameseFormat.number(covered))/\(VietnameseFormat.number(hamlets))"
        values["trained"] = VietnameseFormat.percent(trained, of: members)
        values["trainedCounts"] = "\(VietnameseFormat.number(trained))/\(VietnameseFormat.number(members))"
        values["withoutSmartphone"] = VietnameseFormat.number(training.reduce(0) { $0 + $1.withoutSmartphone })
        values["overdue"] = VietnameseFormat.number(feedback.total.openOverdue)
        values["chart"] = Self.chart(establishment.districts, coverage: coverage)
        return console.pages.render("dashboard", values, language: visitor.language)
    }

    /// One bar a district, in the establishment table's order: its share of current hamlets with an active team.
    static func chart(_ districts: [EstablishmentReport.Row], coverage: [CoverageReport.Row]) -> [String: Any] {
        let rowHeight = 28
        let barWidth = 360.0
        let bars: [[String: Any]] = districts.enumerated().map { index, district in
            let rows = coverage.filter { $0.districtCode == district.districtCode }
            let hamlets = rows.reduce(0) { $0 + $1.hamlets }
            let covered = rows.reduce(0) { $0 + $1.hamletsWithTeam }
            let share = hamlets > 0 ? Double(covered) / Double(hamlets) : 0
            let y = index * rowHeight
            return [
                "label": district.districtName, "y": y, "textY": y + 18, "width": Int((barWidth * share).rounded()),
                "percent": VietnameseFormat.percent(covered, of: hamlets), "percentX": 178 + Int(barWidth) + 8,
            ]
        }
        return ["bars": bars, "height": max(rowHeight, bars.count * rowHeight), "trackWidth": Int(barWidth)]
    }
}
