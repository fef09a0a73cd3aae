import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// `PUT` and `DELETE /v1/trainings/{id}/attendance/{member_id}`: that a member attended a session, recorded by whoever
/// holds `trainings.manage` on the member's commune (a commune officer records its own members at the district's
/// session). Recording is idempotent and marks the member trained; removing a record leaves the flag, since the
/// member may have been trained elsewhere.
struct AttendanceWrites: Sendable {
    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.put("trainings/{id}/attendance/{member_id}", use: record)
        group.delete("trainings/{id}/attendance/{member_id}", use: remove)
    }

    @Sendable func record(_ request: Request, context: APIRequestContext) async throws -> HTTPResponse.Status {
        let (caller, session, member) = try Self.parameters(context)
        try await database.withCallerScope(caller) { transaction in
            let tenant = try await Self.requireManageable(session: session, member: member, caller: caller, in: transaction)
            try await transaction.query(
                """
                INSERT INTO cds.training_attendance (tenant_id, session_id, member_id) VALUES (\(tenant), \(session), \(member))
                ON CONFLICT DO NOTHING
                """
            )
            try await transaction.query(
                "UPDATE cds.members m SET trained = true, \(unescaped: EntityVersion.renewal("m")) WHERE m.tenant_id = \(tenant) AND m.id = \(member) AND NOT m.trained"
            )
        }
        return .noContent
    }

    @Sendable func remove(_ request: Request, context: APIRequestContext) async throws -> HTTPResponse.Status {
        let (caller, session, member) = try Self.parameters(context)
        let removed = try await database.withCallerScope(caller) { transaction in
            let tenant = try await Self.requireManageable(session: session, member: member, caller: caller, in: transaction)
            return try await transaction.rows(
                "DELETE FROM cds.training_attendance WHERE tenant_id = \(tenant) AND session_id = \(session) AND member_id = \(member) RETURNING 1",
                as: Int.self
            )
        }
        guard !removed.isEmpty else { throw ProblemDetails.notFound("the member's attendance of this session is not recorded") }
        return .noContent
    }

    static func parameters(_ context: APIRequestContext) throws -> (Caller, session: UUID, member: UUID) {
        let caller = try context.requireCaller()
        let session = try context.pathID()
        let member = try context.pathID("member_id")
        return (caller, session, member)
    }

    /// The district of a session the caller sees and a member of that district whose commune the caller manages
    /// trainings for: 404 for either one out of sight (another district's included), 403 without the permission.
    static func requireManageable(session: UUID, member: UUID, caller: Caller, in transaction: borrowing TenantTransaction) async throws -> Int {
        let training = try await TrainingsController.visibleRow(id: session, caller: caller, in: transaction)
        let missing = "no member of the session's district has the id \(member)"
        let rows = try await transaction.rows(
            """
            SELECT t.commune_code FROM cds.members m JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id
            WHERE m.tenant_id = \(training.districtCode) AND m.id = \(member)
            """,
            as: Int.self
        )
        guard let commune = rows.first else { throw ProblemDetails.notFound(missing) }
        try caller.requireToChange(.trainingsManage, readable: .membersRead, on: commune, missing: missing)
        return training.districtCode
    }
}
