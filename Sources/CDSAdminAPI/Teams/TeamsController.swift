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

    /// The select list over `cds.teams t`, in the API's field names; the member count is of current members; the
    /// version last.
    static let columns = """
        t.id, t.tenant_id AS district_code, t.level, t.commune_code::text AS commune_code, t.hamlet_code, t.name,
        t.established_on::text AS established_on, t.decision_ref, t.status, t.dissolved_on::text AS dissolved_on,
        (SELECT count(*)::int FROM cds.members m WHERE m.tenant_id = t.tenant_id AND m.team_id = t.id AND m.left_on IS NULL)
            AS member_count,
        \(EntityVersion.expression("t")) AS version
        """

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("teams", use: list)
        group.get("teams/{id}", use: show)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Team> {
        let caller = try context.requireCaller(holding: .teamsRead)
        let query = request.uri.queryParameters
        let page = try PageRequest(request)
        let unit = try RequestInput.unitCode(query["unit"], field: "unit")
        let level = try RequestInput.choice(query["level"], field: "level", among: ["commune", "hamlet"])
        let status = try RequestInput.choice(query["status"], field: "status", among: ["active", "dissolved"])
        let search = try RequestInput.text(query["q"], field: "q", maxLength: 100).map { VietnameseText.searchKey($0) }
        let reach = caller.policy.reach(of: .teamsRead)
        let statement = MergedDistrictPage.query(
            select: Self.columns,
            from: "cds.teams t",
            alias: "t",
            districts: reach.touchedDistricts,
            page: page,
            where: """
                (t.tenant_id = ANY (\(reach.districts.map(\.rawValue))) OR t.commune_code = ANY (\(Array(reach.communes))))
                AND (\(unit)::text IS NULL OR t.commune_code::text = \(unit) OR t.hamlet_code = \(unit))
                AND (\(level)::text IS NULL OR t.level = \(level))
                AND (\(status)::text IS NULL OR t.status = \(status))
                AND (\(search)::text IS NULL OR t.search_name LIKE '%' || \(search) || '%')
                """,
            on: database.endpoint.engine
        )
        let rows = try await database.withCallerScope(caller) { transaction in try await transaction.rows(statement, decoding: Team.self) }
        return Page(rows: rows, limit: page.limit, cursor: \.id)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Team> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let reach = caller.policy.reach(of: .teamsRead)
        let rows = try await database.withCallerScope(caller) { transaction in
            try await transaction.rows(
                """
                SELECT \(unescaped: Self.columns)
                FROM cds.teams t
                WHERE t.tenant_id = ANY (\(transaction.districtCodes)) AND t.id = \(id)
                  AND (t.tenant_id = ANY (\(reach.districts.map(\.rawValue))) OR t.commune_code = ANY (\(Array(reach.communes))))
                """,
                decoding: Versioned<Team>.self
            )
        }
        guard let row = rows.first else { throw ProblemDetails.notFound("no team has the id \(id)") }
        return EntityVersion.response(row.item, version: row.version)
    }

    /// One team, whoever may read it: for writes, which check their own permission first.
    static func row(id: UUID, in transaction: borrowing TenantTransaction) async throws -> Versioned<Team> {
        let rows = try await transaction.rows(
            "SELECT \(unescaped: columns) FROM cds.teams t WHERE t.tenant_id = ANY (\(transaction.districtCodes)) AND t.id = \(id)",
            decoding: Versioned<Team>.self
        )
        guard let row = rows.first else { throw ProblemDetails.notFound("no team has the id \(id)") }
        return row
    }
}
