import CDSDatabase
import PostgresNIO

/// The establishment table of the province's report 07/CĐS: per district, the commune-level and
/// hamlet-level teams, their members, and the hamlets still without a team.
///
/// Computed by SQL from teams, members and hamlets, never from stored figures, and only over the districts
/// in the transaction's tenant scope.
public struct EstablishmentReport: Hashable, Sendable {
    public struct Row: Hashable, Sendable, Codable {
        public var order: Int
        public var districtCode: Int
        public var districtName: String
        public var communeTeams: Int
        public var hamletTeams: Int
        public var communeTeamMembers: Int
        public var hamletTeamMembers: Int
        public var hamletsWithoutTeam: Int
    }

    /// One row per district in scope, in the province's display order.
    public let rows: [Row]

    /// The sums of every column.
    public var total: Row {
        rows.reduce(
            into: Row(
                order: 0,
                districtCode: 0,
                districtName: "Tổng cộng",
                communeTeams: 0,
                hamletTeams: 0,
                communeTeamMembers: 0,
                hamletTeamMembers: 0,
                hamletsWithoutTeam: 0
            )
        ) {
            $0.communeTeams += $1.communeTeams
            $0.hamletTeams += $1.hamletTeams
            $0.communeTeamMembers += $1.communeTeamMembers
            $0.hamletTeamMembers += $1.hamletTeamMembers
            $0.hamletsWithoutTeam += $1.hamletsWithoutTeam
        }
    }

    /// Active teams, their current members, and the current hamlets with no active hamlet-level team.
    public static func compute(in transaction: borrowing TenantTransaction) async throws -> EstablishmentReport {
        let rows = try await transaction.rows(
            """
            WITH team_counts AS (
                SELECT tenant_id,
                       count(*) FILTER (WHERE level = 'commune') AS commune_teams,
                       count(*) FILTER (WHERE level = 'hamlet') AS hamlet_teams
                FROM cds.teams WHERE status = 'active'
                GROUP BY tenant_id
            ), member_counts AS (
                SELECT m.tenant_id,
                       count(*) FILTER (WHERE t.level = 'commune') AS commune_members,
                       count(*) FILTER (WHERE t.level = 'hamlet') AS hamlet_members
                FROM cds.members m
                JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id
                WHERE t.status = 'active' AND m.left_on IS NULL
                GROUP BY m.tenant_id
            ), uncovered AS (
                SELECT h.tenant_id, count(*) AS hamlets
                FROM cds.hamlets h
                WHERE (h.valid_to IS NULL OR h.valid_to > current_date)
                  AND NOT EXISTS (
                      SELECT 1 FROM cds.teams t
                      WHERE t.tenant_id = h.tenant_id AND t.hamlet_code = h.code AND t.status = 'active')
                GROUP BY h.tenant_id
            )
            SELECT d.display_order AS "order", d.code AS district_code, d.name AS district_name,
                   coalesce(tc.commune_teams, 0)::int AS commune_teams, coalesce(tc.hamlet_teams, 0)::int AS hamlet_teams,
                   coalesce(mc.commune_members, 0)::int AS commune_team_members,
                   coalesce(mc.hamlet_members, 0)::int AS hamlet_team_members,
                   coalesce(u.hamlets, 0)::int AS hamlets_without_team
            FROM cds.units d
            LEFT JOIN team_counts tc ON tc.tenant_id = d.code
            LEFT JOIN member_counts mc ON mc.tenant_id = d.code
            LEFT JOIN uncovered u ON u.tenant_id = d.code
            WHERE d.level = 'district' AND d.code = ANY ((SELECT cds.scoped_tenant_ids())::integer[])
            ORDER BY d.display_order, d.code
            """,
            decoding: Row.self
        )
        return EstablishmentReport(rows: rows)
    }
}
