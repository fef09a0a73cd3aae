import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// `POST /v1/teams` (a team for a commune or a hamlet) and `PATCH /v1/teams/{id}` (rename, correct its founding
/// decision, dissolve it by giving `dissolved_on`, reactivate it with `dissolved_on: null`), with `teams.manage`
/// on the team's commune and `If-Match` for changes. A team does not move: a unit's new team is a new team.
/// The status follows `dissolved_on`, so that the two cannot disagree.
struct TeamWrites: Sendable {
    struct NewTeam: JSONRequestBody {
        static let fields: Set<String> = ["unit_code", "name", "established_on", "decision_ref"]
        static let nullable: Set<String> = ["established_on", "decision_ref"]

        let unitCode: String
        let name: String
        let establishedOn: String?
        let decisionRef: String?
    }

    struct TeamChange: JSONRequestBody {
        static let fields: Set<String> = ["name", "established_on", "decision_ref", "dissolved_on"]
        static let nullable: Set<String> = ["established_on", "decision_ref", "dissolved_on"]

        let name: String?
        let establishedOn: PatchField<String>
        let decisionRef: PatchField<String>
        let dissolvedOn: PatchField<String>
    }

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("teams", use: create)
        group.patch("teams/{id}", use: update)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<TeamsController.Team> {
        let caller = try context.requireCaller(holding: .teamsManage)
        let body = try await JSONBody.decode(NewTeam.self, from: request)
        let unit = try RequestInput.unitCode(Substring(body.unitCode), field: "unit_code") ?? ""
        let established = try RequestInput.date(body.establishedOn.map { Substring($0) }, field: "established_on")
        let hamlet = unit.contains("-") ? unit : nil
        let row = try await database.withCallerScope(caller) { transaction in
            let commune = try await Self.commune(serving: unit, caller: caller, in: transaction)
            let team = try Self.validated(
                level: hamlet == nil ? .commune : .hamlet,
                commune: commune,
                hamlet: hamlet,
                name: body.name,
                decisionRef: body.decisionRef
            )
            let inserted = try await Self.refusingSecondActiveTeam {
                try await transaction.rows(
                    """
                    INSERT INTO cds.teams (tenant_id, level, commune_code, hamlet_code, name, established_on, decision_ref)
                    SELECT u.district_code, \(team.level.rawValue), u.code, \(team.hamletCode), \(team.name), \(date: established),
                           \(team.decisionRef)
                    FROM cds.units u WHERE u.code = \(commune)
                    RETURNING id
                    """,
                    as: UUID.self
                )
            }
            return try await TeamsController.row(id: inserted[0], in: transaction)
        }
        return EntityVersion.response(row.item, version: row.version, createdAt: "/v1/teams/\(row.item.id.uuidString.lowercased())")
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<TeamsController.Team> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let body = try await JSONBody.decode(TeamChange.self, from: request)
        let established = try body.establishedOn.map { try RequestInput.date(Substring($0), field: "established_on") ?? "" }
        let dissolvedOn = try body.dissolvedOn.map { try RequestInput.date(Substring($0), field: "dissolved_on") ?? "" }
        let missing = "no team has the id \(id)"
        let row = try await database.withCallerScope(caller) { transaction in
            let current = try await transaction.rows(
                "SELECT t.commune_code, \(unescaped: EntityVersion.expression("t")) FROM cds.teams t WHERE t.tenant_id = ANY (\(transaction.districtCodes)) AND t.id = \(id)",
                as: (Int, Int64).self
            )
            guard let (commune, version) = current.first else { throw ProblemDetails.notFound(missing) }
            try caller.requireToChange(.teamsManage, readable: .teamsRead, on: commune, missing: missing)
            let name = try ProblemDetails.validating { try body.name.map(CDSCore.Team.name) }
            let decisionRef = try ProblemDetails.validating { try body.decisionRef.map(CDSCore.Team.decisionRef) }
            let expected = try EntityVersion.requireMatch(request, current: version, noun: "team")
            let updated = try await Self.refusingSecondActiveTeam {
                try await transaction.rows(
                    """
                    UPDATE cds.teams t SET
                        name = coalesce(\(name), t.name),
                        established_on = CASE WHEN \(body.establishedOn.isAbsent) THEN t.established_on ELSE \(date: established.value) END,
                        decision_ref = CASE WHEN \(body.decisionRef.isAbsent) THEN t.decision_ref ELSE \(decisionRef.value ?? nil) END,
                        dissolved_on = CASE WHEN \(body.dissolvedOn.isAbsent) THEN t.dissolved_on ELSE \(date: dissolvedOn.value) END,
                        status = CASE WHEN (CASE WHEN \(body.dissolvedOn.isAbsent) THEN t.dissolved_on ELSE \(date: dissolvedOn.value) END) IS NULL
                                      THEN 'active' ELSE 'dissolved' END,
                        \(unescaped: EntityVersion.renewal("t"))
                    WHERE t.tenant_id = ANY (\(transaction.districtCodes)) AND t.id = \(id) AND \(unescaped: EntityVersion.expression("t")) = \(expected)
                    RETURNING t.id
                    """,
                    as: UUID.self
                )
            }
            guard !updated.isEmpty else { throw EntityVersion.changed("team") }
            return try await TeamsController.row(id: id, in: transaction)
        }
        return EntityVersion.response(row.item, version: row.version)
    }

    /// The commune of the unit a new team would serve: a commune, or the commune a current hamlet belongs to now.
    static func commune(serving unit: String, caller: Caller, in transaction: borrowing TenantTransaction) async throws -> Int {
        let missing = "unit_code: no commune or current hamlet has the code \(unit)"
        let commune: Int
        if unit.contains("-") {
            let rows = try await transaction.rows(
                "SELECT commune_code FROM cds.hamlets WHERE code = \(unit) AND valid_to IS NULL",
                as: Int.self
            )
            guard let found = rows.first else { throw ProblemDetails.notFound(missing) }
            commune = found
        } else {
            guard let code = Int(unit), caller.policy.level(of: code) == .commune else { throw ProblemDetails.notFound(missing) }
            commune = code
        }
        try caller.requireToChange(.teamsManage, readable: .teamsRead, on: commune, missing: missing)
        return commune
    }

    /// The team's fields, as the domain checks them.
    static func validated(level: CDSCore.Team.Level, commune: Int, hamlet: String?, name: String, decisionRef: String?) throws -> CDSCore.Team {
        try ProblemDetails.validating {
            try CDSCore.Team(level: level, communeCode: commune, hamletCode: hamlet, name: name, decisionRef: decisionRef)
        }
    }

    /// A unit has at most one active team: a second one is a 409, whichever request got there first.
    @discardableResult
    static func refusingSecondActiveTeam<Result>(_ write: () async throws -> Result) async throws -> Result {
        do {
            return try await write()
        } catch let error where ConstraintViolation(error)?.kind == .unique {
            throw ProblemDetails.conflict("the unit already has an active team: dissolve it first")
        }
    }
}
