import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// `POST /v1/trainings`, `PATCH /v1/trainings/{id}` and `DELETE /v1/trainings/{id}`: training sessions, with
/// `trainings.manage` on the organising unit (the district, or one commune) and `If-Match` for changes. Deleting a
/// session (one recorded by mistake) deletes its attendance; the members' `trained` flag stays as it was.
struct TrainingWrites: Sendable {
    struct NewTraining: JSONRequestBody {
        static let fields: Set<String> = ["unit_code", "held_on", "topic", "mode", "bridge_point", "organiser"]
        static let nullable: Set<String> = ["bridge_point", "organiser"]

        let unitCode: String
        let heldOn: String
        let topic: String
        let mode: String
        let bridgePoint: String?
        let organiser: String?
    }

    struct TrainingChange: JSONRequestBody {
        static let fields: Set<String> = ["held_on", "topic", "mode", "bridge_point", "organiser"]
        static let nullable: Set<String> = ["bridge_point", "organiser"]

        let heldOn: String?
        let topic: String?
        let mode: String?
        let bridgePoint: PatchField<String>
        let organiser: PatchField<String>
    }

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("trainings", use: create)
        group.patch("trainings/{id}", use: update)
        group.delete("trainings/{id}", use: delete)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<TrainingsController.Training> {
        let caller = try context.requireCaller(holding: .trainingsManage)
        let body = try await JSONBody.decode(NewTraining.self, from: request)
        let unit = try Self.organiser(body.unitCode, caller: caller)
        let heldOn = try RequestInput.date(Substring(body.heldOn), field: "held_on")!
        let mode = try RequestInput.choice(body.mode, field: "mode", TrainingSession.Mode.self)!
        let topic = try ProblemDetails.validating { try TrainingSession.topic(body.topic) }
        let bridgePoint = try ProblemDetails.validating { try TrainingSession.bridgePoint(body.bridgePoint) }
        let organiser = try ProblemDetails.validating { try TrainingSession.organiser(body.organiser) }
        let row = try await database.withCallerScope(caller) { transaction in
            let inserted = try await transaction.rows(
                """
                INSERT INTO cds.training_sessions (tenant_id, commune_code, held_on, topic, mode, bridge_point, organiser)
                VALUES (\(unit.district.rawValue), \(unit.commune), \(date: heldOn), \(topic), \(mode.rawValue), \(bridgePoint), \(organiser))
                RETURNING id
                """,
                as: UUID.self
            )
            return try await TrainingsController.visibleRow(id: inserted[0], caller: caller, in: transaction)
        }
        return EntityVersion.response(row.item, version: row.version, createdAt: "/v1/trainings/\(row.item.id.uuidString.lowercased())")
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<TrainingsController.Training> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let body = try await JSONBody.decode(TrainingChange.self, from: request)
        let heldOn = try RequestInput.date(body.heldOn.map { Substring($0) }, field: "held_on")
        let mode = try RequestInput.choice(body.mode, field: "mode", TrainingSession.Mode.self)?.rawValue
        return try await EntityVersion.change(
            request,
            id: id,
            by: caller,
            in: database,
            of: "cds.training_sessions s",
            noun: "training session",
            reading: Self.changeable
        ) {
            let topic = try ProblemDetails.validating { try body.topic.map(TrainingSession.topic) }
            let bridgePoint = try ProblemDetails.validating { try body.bridgePoint.map { try TrainingSession.bridgePoint($0) ?? "" } }
            let organiser = try ProblemDetails.validating { try body.organiser.map { try TrainingSession.organiser($0) ?? "" } }
            return """
                held_on = coalesce(\(date: heldOn), s.held_on),
                topic = coalesce(\(topic), s.topic),
                mode = coalesce(\(mode), s.mode),
                bridge_point = CASE WHEN \(body.bridgePoint.isAbsent) THEN s.bridge_point ELSE nullif(\(bridgePoint.value), '') END,
                organiser = CASE WHEN \(body.organiser.isAbsent) THEN s.organiser ELSE nullif(\(organiser.value), '') END
                """
        }
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> HTTPResponse.Status {
        try await EntityVersion.delete(
            request,
            context,
            in: database,
            from: "cds.training_sessions",
            noun: "training session",
            reading: Self.changeable
        )
    }

    /// The session, when the caller sees it (else 404), and may manage its organiser (else 403).
    static func changeable(
        id: UUID,
        caller: Caller,
        in transaction: borrowing TenantTransaction
    ) async throws -> Versioned<TrainingsController.Training> {
        let row = try await TrainingsController.visibleRow(id: id, caller: caller, in: transaction)
        guard caller.policy.permits(.trainingsManage, on: row.item.organisingUnit) else {
            throw ProblemDetails.forbidden("this needs the permission trainings.manage on unit \(row.item.organisingUnit)")
        }
        return row
    }

    /// The organising unit of a new session: a district or a commune of the caller's districts (else 404), where the
    /// caller holds `trainings.manage` (else 403).
    static func organiser(_ text: String, caller: Caller) throws -> (district: TenantID, commune: Int?) {
        let missing = "unit_code: no district or commune has the code \(text)"
        guard text.count <= 6, let code = Int(text), text.allSatisfy(\.isNumber), let district = caller.policy.district(of: code),
            caller.scope.tenants.contains(district), let level = caller.policy.level(of: code), level == .district || level == .commune
        else { throw ProblemDetails.notFound(missing) }
        guard caller.policy.permits(.trainingsManage, on: code) else {
            throw ProblemDetails.forbidden("this needs the permission trainings.manage on unit \(code)")
        }
        return (district, level == .commune ? code : nil)
    }
}
