import CDSDatabase
import PostgresNIO

/// Training coverage, per commune: the current members of its active teams, how many of them are trained, and how
/// many have no smartphone (those the teams cannot yet reach with an app, whom trainings must plan for).
public enum TrainingCoverageReport {
    public struct Row: ReportRow {
        public var districtCode: Int
        public var communeCode: Int
        public var communeName: String
        public var members: Int
        public var trained: Int
        /// Trained members in percent of members, one decimal; 0 without members.
        public var trainedPercent: Double
        public var withoutSmartphone: Int

        public static let header = [
            "district_code", "commune_code", "commune_name", "members", "trained", "trained_percent", "without_smartphone",
        ]

        public var fields: [String] {
            [
                String(districtCode), String(communeCode), communeName, String(members), String(trained), String(trainedPercent),
                String(withoutSmartphone),
            ]
        }
    }

    /// - Parameter extent: the districts and single communes reported on, within the transaction's scope.
    public static func compute(_ extent: ReportExtent, in transaction: borrowing TenantTransaction) async throws -> [Row] {
        try await transaction.rows(
            """
            WITH counts AS (
                SELECT t.tenant_id, t.commune_code, count(*)::int AS members, count(*) FILTER (WHERE m.trained)::int AS trained,
                       count(*) FILTER (WHERE NOT m.has_smartphone)::int AS without_smartphone
                FROM cds.members m JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id
                WHERE t.status = 'active' AND m.left_on IS NULL
                GROUP BY t.tenant_id, t.commune_code
            )
            SELECT c.district_code, c.code AS commune_code, c.name AS commune_name, coalesce(k.members, 0) AS members,
                   coalesce(k.trained, 0) AS trained,
                   coalesce(round(100.0 * k.trained / nullif(k.members, 0), 1), 0)::float8 AS trained_percent,
                   coalesce(k.without_smartphone, 0) AS without_smartphone
            FROM cds.units c
            LEFT JOIN counts k ON k.tenant_id = c.district_code AND k.commune_code = c.code
            WHERE c.level = 'commune' AND c.district_code = ANY ((SELECT cds.scoped_tenant_ids())::integer[])
              AND (c.district_code = ANY (\(extent.districts)::int[]) OR c.code = ANY (\(extent.communes)::int[]))
            ORDER BY c.district_code, c.display_order, c.code
            """,
            decoding: Row.self
        )
    }
}
