import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `GET /v1/reports/feedback`: how the reports the caller may see were handled — submitted, answered, answered by
/// their due time (the on-time rate the province measures), open past their due time — in all, by category, by
/// handling unit and by month of submission (Vietnam's time). `reports.read`; the reports counted are those whose
/// handling unit is within the caller's grants for it, optionally one district and a span of submission days.
struct FeedbackReportController: StaffRoutes {
    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("reports/feedback", use: report)
    }

    @Sendable func report(_ request: Request, context: APIRequestContext) async throws -> Wire.FeedbackReport {
        let caller = try context.requireCaller(holding: .reportsRead)
        let query = request.uri.queryParameters
        let reach = caller.policy.reach(of: .reportsRead)
        // Another district, or none, answers as the other reports do: not found.
        let district = try query["district"].map { text in
            guard let code = Int(text), reach.touchedDistricts.contains(TenantID(code)) else {
                throw ProblemDetails.notFound("district: no district in your reports has the code \(text)")
            }
            return code
        }
        let from = try RequestInput.date(query["from"], field: "from")
        let to = try RequestInput.date(query["to"], field: "to")
        let districts = reach.districts.map { Int($0.rawValue) }
        let communes = Array(reach.communes)
        let rows = try await database.withCallerScope(caller) { transaction in
            try await transaction.rows(
                """
                WITH counted AS (
                    SELECT r.category_code, c.name AS category_name,
                           CASE r.handling_level WHEN 'commune' THEN r.commune_code ELSE r.tenant_id END AS unit,
                           to_char(r.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM') AS month,
                           r.answered_at IS NOT NULL AS answered, r.answered_at <= r.due_at AS on_time,
                           r.answered_at IS NULL AND r.due_at < now() AS overdue
                    FROM cds.feedback_reports r LEFT JOIN cds.feedback_categories c ON c.code = r.category_code
                    WHERE (r.tenant_id = ANY(\(districts)) OR (r.handling_level = 'commune' AND r.commune_code = ANY(\(communes))))
                      AND (\(district)::integer IS NULL OR r.tenant_id = \(district)::integer)
                      AND (\(from)::date IS NULL OR (r.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date >= \(from)::date)
                      AND (\(to)::date IS NULL OR (r.submitted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= \(to)::date))
                SELECT g.dimension, g.key, g.name, g.submitted, g.answered, g.on_time, g.overdue FROM (
                    SELECT 'total' AS dimension, '' AS key, NULL::text AS name, count(*) AS submitted,
                           count(*) FILTER (WHERE answered) AS answered, count(*) FILTER (WHERE on_time) AS on_time,
                           count(*) FILTER (WHERE overdue) AS overdue
                    FROM counted
                    UNION ALL
                    SELECT 'category', category_code, min(category_name), count(*), count(*) FILTER (WHERE answered),
                           count(*) FILTER (WHERE on_time), count(*) FILTER (WHERE overdue)
                    FROM counted GROUP BY category_code
                    UNION ALL
                    SELECT 'unit', counted.unit::text, min(u.name), count(*), count(*) FILTER (WHERE answered),
                           count(*) FILTER (WHERE on_time), count(*) FILTER (WHERE overdue)
                    FROM counted JOIN cds.units u ON u.code = counted.unit GROUP BY counted.unit
                    UNION ALL
                    SELECT 'month', month, NULL, count(*), count(*) FILTER (WHERE answered), count(*) FILTER (WHERE on_time),
                           count(*) FILTER (WHERE overdue)
                    FROM counted GROUP BY month) AS g
                ORDER BY g.dimension, g.key
                """,
                as: (String, String, String?, Int, Int, Int, Int).self
            )
        }
        func counts(_ dimension: String) -> [Wire.FeedbackReport.Counts] {
            rows.filter { of, _, _, _, _, _, _ in of == dimension }.map { _, key, name, submitted, answered, onTime, overdue in
                .init(key: key, name: name, submitted: submitted, answered: answered, answeredOnTime: onTime, openOverdue: overdue)
            }
        }
        return Wire.FeedbackReport(
            total: counts("total").first ?? .init(key: "", name: nil, submitted: 0, answered: 0, answeredOnTime: 0, openOverdue: 0),
            byCategory: counts("category"),
            byUnit: counts("unit"),
            byMonth: counts("month")
        )
    }
}
