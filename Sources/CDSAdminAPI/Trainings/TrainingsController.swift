import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `GET /v1/trainings`, `GET /v1/trainings/{id}` and `GET /v1/trainings/{id}/attendance`: training sessions, organised
/// by a district (open to all its teams) or by one commune. Whoever reads teams (`teams.read`) sees the sessions of
/// their districts and of their communes; attendees are listed as members are (`members.read`).
struct TrainingsController: Sendable {
    typealias Training = Wire.TrainingSession

    typealias Attendee = Wire.Attendee

    /// The select list over `cds.training_sessions s`, in the API's field names; the version last.
    static let columns = """
        s.id, s.tenant_id AS district_code, s.commune_code::text AS commune_code, s.held_on::text AS held_on, s.topic, s.mode,
        s.bridge_point, s.organiser,
        (SELECT count(*)::int FROM cds.training_attendance a WHERE a.tenant_id = s.tenant_id AND a.session_id = s.id) AS attendee_count,
        \(EntityVersion.expression("s")) AS version
        """

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("trainings", use: list)
        group.get("trainings/{id}", use: show)
        group.get("trainings/{id}/attendance", use: attendance)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Training> {
        let caller = try context.requireCaller(holding: .teamsRead)
        let query = request.uri.queryParameters
        let page = try PageRequest(request)
        let unit = try RequestInput.unitCode(query["unit"], field: "unit").flatMap { Int($0) }
        let mode = try RequestInput.choice(query["mode"].map(String.init), field: "mode", TrainingSession.Mode.self)?.rawValue
        let from = try RequestInput.date(query["from"], field: "from")
        let to = try RequestInput.date(query["to"], field: "to")
        let reach = caller.policy.reach(of: .teamsRead)
        let statement = MergedDistrictPage.query(
            select: Self.columns,
            from: "cds.training_sessions s",
            alias: "s",
            districts: reach.touchedDistricts,
            page: page,
            where: """
                (s.tenant_id = ANY (\(reach.districts.map(\.rawValue))) OR s.commune_code = ANY (\(Array(reach.communes)))
                 OR s.commune_code IS NULL)
                AND (\(unit)::int IS NULL OR s.commune_code = \(unit) OR (s.commune_code IS NULL AND s.tenant_id = \(unit)))
                AND (\(mode)::text IS NULL OR s.mode = \(mode))
                AND (\(from)::date IS NULL OR s.held_on >= \(from)::date)
                AND (\(to)::date IS NULL OR s.held_on <= \(to)::date)
                """,
            on: database.endpoint.engine
        )
        let rows = try await database.withCallerScope(caller) { transaction in try await transaction.rows(statement, decoding: Training.self) }
        return Page(rows: rows, limit: page.limit, cursor: \.id)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Training> {
        try await EntityVersion.show(context, in: database, reading: Self.visibleRow, answer: \.item)
    }

    @Sendable func attendance(_ request: Request, context: APIRequestContext) async throws -> Page<Attendee> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let page = try PageRequest(request)
        let reach = caller.policy.reach(of: .membersRead)
        let rows = try await database.withCallerScope(caller) { transaction in
            let session = try await Self.visibleRow(id: id, caller: caller, in: transaction)
            return try await transaction.rows(
                """
                SELECT m.id AS member_id, m.full_name, m.team_id, t.commune_code::text AS commune_code, a.recorded_at::text AS recorded_at
                FROM cds.training_attendance a
                JOIN cds.members m ON m.tenant_id = a.tenant_id AND m.id = a.member_id
                JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id
                WHERE a.tenant_id = \(session.districtCode) AND a.session_id = \(id) AND a.member_id > \(page.after)
                  AND (a.tenant_id = ANY (\(reach.districts.map(\.rawValue))) OR t.commune_code = ANY (\(Array(reach.communes))))
                ORDER BY a.member_id
                LIMIT \(page.rowsToRead)
                """,
                decoding: Attendee.self
            )
        }
        return Page(rows: rows, limit: page.limit, cursor: \.memberID)
    }

    /// One session the caller sees (`teams.read`), or a 404.
    static func visibleRow(id: UUID, caller: Caller, in transaction: borrowing TenantTransaction) async throws -> Versioned<Training> {
        let rows = try await transaction.rows(
            "SELECT \(unescaped: columns) FROM cds.training_sessions s WHERE s.tenant_id = ANY (\(transaction.districtCodes)) AND s.id = \(id)",
            decoding: Versioned<Training>.self
        )
        guard let row = rows.first,
            caller.policy.permits(.teamsRead, on: row.item.organisingUnit) || Self.isDistrictSessionOfReach(row.item, caller)
        else {
            throw ProblemDetails.notFound("no training session has the id \(id)")
        }
        return row
    }

    /// A district's own session is open to the officers of all its communes.
    static func isDistrictSessionOfReach(_ session: Training, _ caller: Caller) -> Bool {
        session.communeCode == nil && caller.policy.reach(of: .teamsRead).touchedDistricts.contains(TenantID(session.districtCode))
    }
}
