import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// `POST /v1/activities`, `PATCH /v1/activities/{id}` and `DELETE /v1/activities/{id}`: a team's guidance activities,
/// recorded with `activities.manage` on the team's commune; changes and deletions (of an activity recorded by
/// mistake) with `If-Match`.
struct ActivityWrites: Sendable {
    struct NewActivity: JSONRequestBody {
        static let fields: Set<String> = ["team_id", "held_on", "topic", "residents_reached", "note"]
        static let nullable: Set<String> = ["note"]

        let teamID: String
        let heldOn: String
        let topic: String
        let residentsReached: Int
        let note: String?
    }

    struct ActivityChange: JSONRequestBody {
        static let fields: Set<String> = ["held_on", "topic", "residents_reached", "note"]
        static let nullable: Set<String> = ["note"]

        let heldOn: String?
        let topic: String?
        let residentsReached: Int?
        let note: PatchField<String>
    }

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("activities", use: create)
        group.patch("activities/{id}", use: update)
        group.delete("activities/{id}", use: delete)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<ActivitiesController.Activity> {
        let caller = try context.requireCaller(holding: .activitiesManage)
        let body = try await JSONBody.decode(NewActivity.self, from: request)
        let team = try RequestInput.uuid(Substring(body.teamID), field: "team_id")
        let heldOn = try RequestInput.date(Substring(body.heldOn), field: "held_on")!
        let topic = try RequestInput.choice(body.topic, field: "topic", GuidanceActivity.Topic.self)!
        let row = try await database.withCallerScope(caller) { transaction in
            let missing = "team_id: no team has the id \(team)"
            let teams = try await transaction.rows(
                "SELECT commune_code FROM cds.teams WHERE tenant_id = ANY (\(transaction.districtCodes)) AND id = \(team)",
                as: Int.self
            )
            guard let commune = teams.first else { throw ProblemDetails.notFound(missing) }
            try caller.requireToChange(.activitiesManage, readable: .teamsRead, on: commune, missing: missing)
            let residents = try ProblemDetails.validating { try GuidanceActivity.residentsReached(body.residentsReached) }
            let note = try ProblemDetails.validating { try GuidanceActivity.note(body.note) }
            let inserted = try await transaction.rows(
                """
                INSERT INTO cds.guidance_activities (tenant_id, team_id, held_on, topic, residents_reached, note)
                SELECT t.tenant_id, t.id, \(date: heldOn), \(topic.rawValue), \(residents), \(note) FROM cds.teams t WHERE t.tenant_id = ANY (\(transaction.districtCodes)) AND t.id = \(team)
                RETURNING id
                """,
                as: UUID.self
            )
            return try await ActivitiesController.visibleRow(id: inserted[0], caller: caller, in: transaction)
        }
        return EntityVersion.response(row.item, version: row.version, createdAt: "/v1/activities/\(row.item.id.uuidString.lowercased())")
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<ActivitiesController.Activity> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let body = try await JSONBody.decode(ActivityChange.self, from: request)
        let heldOn = try RequestInput.date(body.heldOn.map { Substring($0) }, field: "held_on")
        let topic = try RequestInput.choice(body.topic, field: "topic", GuidanceActivity.Topic.self)?.rawValue
        return try await EntityVersion.change(
            request,
            id: id,
            by: caller,
            in: database,
            of: "cds.guidance_activities g",
            noun: "activity",
            reading: Self.changeable
        ) {
            let residents = try ProblemDetails.validating { try body.residentsReached.map(GuidanceActivity.residentsReached) }
            let note = try ProblemDetails.validating { try body.note.map { try GuidanceActivity.note($0) ?? "" } }
            return """
                held_on = coalesce(\(date: heldOn), g.held_on),
                topic = coalesce(\(topic), g.topic),
                residents_reached = coalesce(\(residents), g.residents_reached),
                note = CASE WHEN \(body.note.isAbsent) THEN g.note ELSE nullif(\(note.value), '') END
                """
        }
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> HTTPResponse.Status {
        try await EntityVersion.delete(request, context, in: database, from: "cds.guidance_activities", noun: "activity", reading: Self.changeable)
    }

    /// The activity, when the caller sees it (else 404), and may manage its team's activities (else 403).
    static func changeable(
        id: UUID,
        caller: Caller,
        in transaction: borrowing TenantTransaction
    ) async throws -> Versioned<ActivitiesController.Activity> {
        let row = try await ActivitiesController.visibleRow(id: id, caller: caller, in: transaction)
        try caller.requireToChange(.activitiesManage, readable: .teamsRead, on: row.item.commune, missing: "no activity has the id \(id)")
        return row
    }
}
