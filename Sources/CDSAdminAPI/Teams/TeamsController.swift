import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `GET /v1/teams` and `GET /v1/teams/{id}`: the teams the caller may read (`teams.read`), filtered by unit,
/// level, status and a name search that ignores diacritics and case. Another district's team is a 404.
struct TeamsController: Sendable {
    typealias Team = Wire.Team

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("teams", use: list)
        group.get("teams/{id}", use: show)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Team> {
        let caller = try context.requireCaller()
        try caller.requirePermissionSomewhere(.teamsRead)
        let query = request.uri.queryParameters
        let limit = try PageLimit.parse(query["limit"].map(String.init))
        let cursor = try RequestInput.cursor(query["cursor"])
        let unit = try RequestInput.unitCode(query["unit"], field: "unit")
        let level = try RequestInput.choice(query["level"], field: "level", among: ["commune", "hamlet"])
        let status = try RequestInput.choice(query["status"], field: "status", among: ["active", "dissolved"])
        let search = try RequestInput.text(query["q"], field: "q", maxLength: 100).map { VietnameseText.searchKey($0) }
        let reach = caller.policy.reach(of: .teamsRead)
        let rows = try await database.withCallerScope(caller) { transaction in
            // One ordered scan per district, merged (see MembersController.list).
            try await transaction.rows(
                """
                SELECT page.* FROM unnest(\(reach.touchedDistricts.map(\.rawValue))::int[]) AS scope (tenant_id)
                CROSS JOIN LATERAL (
                    SELECT \(unescaped: TeamRow.columns)
                    FROM cds.teams t
                    WHERE t.tenant_id = scope.tenant_id
                      AND (t.tenant_id = ANY (\(reach.districts.map(\.rawValue))) OR t.commune_code = ANY (\(Array(reach.communes))))
                      AND t.id > \(cursor)
                      AND (\(unit)::text IS NULL OR t.commune_code::text = \(unit) OR t.hamlet_code = \(unit))
                      AND (\(level)::text IS NULL OR t.level = \(level))
                      AND (\(status)::text IS NULL OR t.status = \(status))
                      AND (\(search)::text IS NULL OR t.search_name LIKE '%' || \(search) || '%')
                    ORDER BY t.id
                    LIMIT \(limit + 1)
                ) AS page
                ORDER BY page.id
                LIMIT \(limit + 1)
                """,
                of: TeamRow.self
            )
        }
        return Page(rows: rows, limit: limit, item: Self.team, cursor: \.id)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Team> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let reach = caller.policy.reach(of: .teamsRead)
        let rows = try await database.withCallerScope(caller) { transaction in
            try await transaction.rows(
                """
                SELECT \(unescaped: TeamRow.columns)
                FROM cds.teams t
                WHERE t.id = \(id)
                  AND (t.tenant_id = ANY (\(reach.districts.map(\.rawValue))) OR t.commune_code = ANY (\(Array(reach.communes))))
                """,
                of: TeamRow.self
            )
        }
        guard let row = rows.first else { throw ProblemDetails.notFound("no team has the id \(id)") }
        return EntityVersion.response(Self.team(row), version: row.version)
    }

    /// One team, whoever may read it: for writes, which check their own permission first.
    static func row(id: UUID, in transaction: borrowing TenantTransaction) async throws -> TeamRow {
        let rows = try await transaction.rows("SELECT \(unescaped: TeamRow.columns) FROM cds.teams t WHERE t.id = \(id)", of: TeamRow.self)
        guard let row = rows.first else { throw ProblemDetails.notFound("no team has the id \(id)") }
        return row
    }

    static func team(_ row: TeamRow) -> Team {
        Team(
            id: row.id,
            districtCode: row.districtCode,
            level: row.level,
            communeCode: String(row.communeCode),
            hamletCode: row.hamletCode,
            name: row.name,
            establishedOn: row.establishedOn,
            decisionRef: row.decisionRef,
            status: row.status,
            dissolvedOn: row.dissolvedOn,
            memberCount: row.memberCount
        )
    }
}
