import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `GET /v1/activities` and `GET /v1/activities/{id}`: the teams' guidance activities, seen where the caller reads
/// teams (`teams.read`), filtered by team, unit, topic and dates.
struct ActivitiesController: Sendable {
    typealias Activity = Wire.Activity

    /// Activities with their team's units. On one server the team is looked up by its id alone, as for members (see
    /// ``MemberPageStatement``): a join lets the planner start from the teams under the tenant policy. Citus joins
    /// only what it can send to a shard whole: the team of the activity's own district.
    static func source(on engine: DatabaseEngine) -> String {
        switch engine {
        case .postgresql:
            """
            cds.guidance_activities g
            CROSS JOIN LATERAL (SELECT t.commune_code, t.hamlet_code FROM cds.teams t WHERE t.id = g.team_id LIMIT 1) AS t
            """
        case .citus:
            "cds.guidance_activities g JOIN cds.teams t ON t.tenant_id = g.tenant_id AND t.id = g.team_id"
        }
    }

    /// The select list over ``source``, in the API's field names; the version last.
    static let columns = """
        g.id, g.tenant_id AS district_code, g.team_id, t.commune_code::text AS commune_code, t.hamlet_code,
        g.held_on::text AS held_on, g.topic, g.residents_reached, g.note, \(EntityVersion.expression("g")) AS version
        """

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("activities", use: list)
        group.get("activities/{id}", use: show)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Activity> {
        let caller = try context.requireCaller(holding: .teamsRead)
        let query = request.uri.queryParameters
        let page = try PageRequest(request)
        let team = try query["team"].map { try RequestInput.uuid($0, field: "team") }
        let unit = try RequestInput.unitCode(query["unit"], field: "unit")
        let topic = try RequestInput.choice(query["topic"].map(String.init), field: "topic", GuidanceActivity.Topic.self)?.rawValue
        let from = try RequestInput.date(query["from"], field: "from")
        let to = try RequestInput.date(query["to"], field: "to")
        let reach = caller.policy.reach(of: .teamsRead)
        let statement = MergedDistrictPage.query(
            select: Self.columns,
            from: Self.source(on: database.endpoint.engine),
            alias: "g",
            districts: reach.touchedDistricts,
            page: page,
            where: """
                (g.tenant_id = ANY (\(reach.districts.map(\.rawValue))) OR t.commune_code = ANY (\(Array(reach.communes))))
                AND (\(team)::uuid IS NULL OR g.team_id = \(team))
                AND (\(unit)::text IS NULL OR t.commune_code::text = \(unit) OR t.hamlet_code = \(unit))
                AND (\(topic)::text IS NULL OR g.topic = \(topic))
                AND (\(from)::date IS NULL OR g.held_on >= \(from)::date)
                AND (\(to)::date IS NULL OR g.held_on <= \(to)::date)
                """,
            on: database.endpoint.engine
        )
        let rows = try await database.withCallerScope(caller) { transaction in try await transaction.rows(statement, decoding: Activity.self) }
        return Page(rows: rows, limit: page.limit, cursor: \.id)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Activity> {
        try await EntityVersion.show(context, in: database, reading: Self.visibleRow, answer: \.item)
    }

    /// One activity of a team the caller reads, or a 404.
    static func visibleRow(id: UUID, caller: Caller, in transaction: borrowing TenantTransaction) async throws -> Versioned<Activity> {
        let rows = try await transaction.rows(
            "SELECT \(unescaped: columns) FROM \(unescaped: source(on: transaction.engine)) WHERE g.tenant_id = ANY (\(transaction.districtCodes)) AND g.id = \(id)",
            decoding: Versioned<Activity>.self
        )
        guard let row = rows.first, caller.policy.permits(.teamsRead, on: row.item.commune) else {
            throw ProblemDetails.notFound("no activity has the id \(id)")
        }
        return row
    }
}
