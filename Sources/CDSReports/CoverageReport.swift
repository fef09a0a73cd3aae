import CDSDatabase
import PostgresNIO

/// Coverage of the teams, per commune: its current hamlets, how many have an active hamlet-level team, how many
/// do not, and whether the commune has its commune-level team. Over the communes of the transaction's scope.
public enum CoverageReport {
    public struct Row: ReportRow {
        public var districtCode: Int
        public var communeCode: Int
        public var communeName: String
        public var communeTeam: Bool
        public var hamlets: Int
        public var hamletsWithTeam: Int
        public var hamletsWithoutTeam: Int

        public static let header = [
            "district_code", "commune_code", "commune_name", "commune_team", "hamlets", "hamlets_with_team", "hamlets_without_team",
        ]

        public var fields: [String] {
            [
                String(districtCode), String(communeCode), communeName, String(communeTeam), String(hamlets), String(hamletsWithTeam),
                String(hamletsWithoutTeam),
            ]
        }
    }

    /// - Parameter extent: the districts and single communes reported on, within the transaction's scope.
    /// The teams are read apart from the units and joined to them: Citus runs no subquery of a reference table (the
    /// units) that reads a distributed one.
    public static func compute(_ extent: ReportExtent, in transaction: borrowing TenantTransaction) async throws -> [Row] {
        try await transaction.rows(
            """
            WITH hamlet_cover AS (
                SELECT h.tenant_id, h.commune_code, count(*)::int AS hamlets,
                       count(*) FILTER (WHERE EXISTS (
                           SELECT 1 FROM cds.teams t
                           WHERE t.tenant_id = h.tenant_id AND t.hamlet_code = h.code AND t.status = 'active'))::int AS covered
                FROM cds.hamlets h
                WHERE h.valid_to IS NULL OR h.valid_to > current_date
                GROUP BY h.tenant_id, h.commune_code
            ),
            commune_team AS (
                SELECT DISTINCT t.tenant_id, t.commune_code FROM cds.teams t WHERE t.level = 'commune' AND t.status = 'active'
            )
            SELECT c.district_code, c.code AS commune_code, c.name AS commune_name, ct.commune_code IS NOT NULL AS commune_team,
                   coalesce(hc.hamlets, 0) AS hamlets, coalesce(hc.covered, 0) AS hamlets_with_team,
                   coalesce(hc.hamlets - hc.covered, 0) AS hamlets_without_team
            FROM cds.units c
            LEFT JOIN hamlet_cover hc ON hc.tenant_id = c.district_code AND hc.commune_code = c.code
            LEFT JOIN commune_team ct ON ct.tenant_id = c.district_code AND ct.commune_code = c.code
            WHERE c.level = 'commune' AND c.district_code = ANY ((SELECT cds.scoped_tenant_ids())::integer[])
              AND (c.district_code = ANY (\(extent.districts)::int[]) OR c.code = ANY (\(extent.communes)::int[]))
            ORDER BY c.district_code, c.display_order, c.code
            """,
            decoding: Row.self
        )
    }
}
