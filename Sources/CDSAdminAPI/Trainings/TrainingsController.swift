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

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("trainings", use: list)
        group.get("trainings/{id}", use: show)
        group.get("trainings/{id}/attendance", use: attendance)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Training> {
        let caller = try context.requireCaller()
        try caller.requirePermissionSomewhere(.teamsRead)
        let query = request.uri.queryParameters
        let limit = try PageLimit.parse(query["limit"].map(String.init))
        let cursor = try RequestInput.cursor(query["cursor"])
        let unit = try RequestInput.unitCode(query["unit"], field: "unit").flatMap { Int($0) }
        let mode = try RequestInput.choice(query["mode"].map(String.init), field: "mode", TrainingSession.Mode.self)?.rawValue
        let from = try RequestInput.date(query["from"], field: "from")
        let to = try RequestInput.date(query["to"], field: "to")
        let reach = caller.policy.reach(of: .teamsRead)
        let rows = try await database.withCallerScope(caller) { transaction in
            // One ordered scan per district, merged (see MembersController.list).
            try await transaction.rows(
                """
                SELECT page.* FROM unnest(\(reach.touchedDistricts.map(\.rawValue))::int[]) AS scope (tenant_id)
                CROSS JOIN LATERAL (
                    SELECT \(unescaped: TrainingRow.columns)
                    FROM cds.training_sessions s
                    WHERE s.tenant_id = scope.tenant_id
                      AND (s.tenant_id = ANY (\(reach.districts.map(\.rawValue))) OR s.commune_code = ANY (\(Array(reach.communes)))
                           OR s.commune_code IS NULL)
                      AND s.id > \(cursor)
                      AND (\(unit)::int IS NULL OR s.commune_code = \(unit) OR (s.commune_code IS NULL AND s.tenant_id = \(unit)))
                      AND (\(mode)::text IS NULL OR s.mode = \(mode))
                      AND (\(from)::date IS NULL OR s.held_on >= \(from)::date)
                      AND (\(to)::date IS NULL OR s.held_on <= \(to)::date)
                    ORDER BY s.id
                    LIMIT \(limit + 1)
                ) AS page
                ORDER BY page.id
                LIMIT \(limit + 1)
                """,
                of: TrainingRow.self
            )
        }
        return Page(rows: rows, limit: limit, item: Self.training, cursor: \.id)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Training> {
        try await EntityVersion.show(context, in: database, reading: Self.visibleRow, answer: Self.training)
    }

    @Sendable func attendance(_ request: Request, context: APIRequestContext) async throws -> Page<Attendee> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let query = request.uri.queryParameters
        let limit = try PageLimit.parse(query["limit"].map(String.init))
        let cursor = try RequestInput.cursor(query["cursor"])
        let reach = caller.policy.reach(of: .membersRead)
        let rows = try await database.withCallerScope(caller) { transaction in
            let session = try await Self.visibleRow(id: id, caller: caller, in: transaction)
            return try await transaction.rows(
                """
                SELECT m.id, m.full_name, m.team_id, t.commune_code::text, a.recorded_at::text
                FROM cds.training_attendance a
                JOIN cds.members m ON m.tenant_id = a.tenant_id AND m.id = a.member_id
                JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id
                WHERE a.tenant_id = \(session.districtCode) AND a.session_id = \(id) AND a.member_id > \(cursor)
                  AND (a.tenant_id = ANY (\(reach.districts.map(\.rawValue))) OR t.commune_code = ANY (\(Array(reach.communes))))
                ORDER BY a.member_id
                LIMIT \(limit + 1)
                """,
                of: AttendeeRow.self
            )
        }
        return Page(rows: rows, limit: limit, item: Self.attendee, cursor: \.memberID)
    }

    /// One session the caller sees (`teams.read`), or a 404.
    static func visibleRow(id: UUID, caller: Caller, in transaction: borrowing TenantTransaction) async throws -> TrainingRow {
        let rows = try await transaction.rows(
            "SELECT \(unescaped: TrainingRow.columns) FROM cds.training_sessions s WHERE s.id = \(id)",
            of: TrainingRow.self
        )
        guard let row = rows.first, caller.policy.permits(.teamsRead, on: row.organisingUnit) || Self.isDistrictSessionOfReach(row, caller)
        else {
            throw ProblemDetails.notFound("no training session has the id \(id)")
        }
        return row
    }

    /// A district's own session is open to the officers of all its communes.
    static func isDistrictSessionOfReach(_ row: TrainingRow, _ caller: Caller) -> Bool {
        row.communeCode == nil && caller.policy.reach(of: .teamsRead).touchedDistricts.contains(TenantID(row.districtCode))
    }

    static func training(_ row: TrainingRow) -> Training {
        Training(
            id: row.id,
            districtCode: row.districtCode,
            communeCode: row.communeCode.map(String.init),
            heldOn: row.heldOn,
            topic: row.topic,
            mode: row.mode,
            bridgePoint: row.bridgePoint,
            organiser: row.organiser,
            attendeeCount: row.attendeeCount
        )
    }

    static func attendee(_ row: AttendeeRow) -> Attendee {
        Attendee(
            memberID: row.memberID,
            fullName: row.fullName,
            teamID: row.teamID,
            communeCode: row.communeCode,
            recordedAt: row.recordedAt
        )
    }
}
