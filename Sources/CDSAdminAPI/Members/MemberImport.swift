import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// `POST /v1/imports/members`: many new members at once (a roster file), all or nothing.
///
/// Every item is what `POST /v1/members` takes. Every fault of every item is reported in one answer, each with its
/// item's index (`members[3].phone`), so that a file's author fixes them all at once; nothing is written unless every
/// item is right. `?dry_run=true` checks everything, the database's constraints included, and writes nothing.
struct MemberImport: Sendable {
    struct Result: ResponseEncodable {
        let dryRun: Bool
        let imported: Int
        /// The new members' ids, in the order of the items; empty on a dry run.
        let ids: [UUID]
    }

    /// A district's roster is one to two thousand members; this leaves room for a province system's larger files
    /// while keeping one transaction short.
    static let limits = ImportLimits(key: "members", maximumCount: 5000, maximumSize: 4 * 1024 * 1024)

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("imports/members", use: create)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Result> {
        let caller = try context.requireCaller(holding: .membersManage)
        var batch = try await ImportBatch<MemberWrites.NewMember>(request, Self.limits)
        var members: [(index: Int, team: UUID, member: Member, joinedOn: String?)] = []
        for (index, item) in batch.items.enumerated() {
            batch.faults.collect(index) {
                let team = try RequestInput.uuid(Substring(item.teamID), field: "team_id")
                let (member, joinedOn) = try MemberWrites.validated(item)
                members.append((index, team, member, joinedOn))
            }
        }
        let ids = try await database.withCallerScope(caller, dryRun: batch.dryRun) { transaction in
            try await Self.checkTeams(of: members, caller: caller, faults: &batch.faults, in: transaction)
            try batch.faults.throwIfAny()
            let ids = try await MemberWrites.refusingSecondLeader {
                try await transaction.rows(
                    """
                    INSERT INTO cds.members (tenant_id, team_id, full_name, gender, birth_year, ethnicity, phone, role, affiliation,
                                             has_smartphone, trained, joined_on)
                    SELECT t.tenant_id, t.id, item.full_name, nullif(item.gender, ''), nullif(item.birth_year, 0)::smallint,
                           nullif(item.ethnicity, ''), nullif(item.phone, ''), item.role, item.affiliation, item.has_smartphone,
                           item.trained, nullif(item.joined_on, '')::date
                    FROM unnest(
                        \(members.map(\.team))::uuid[], \(members.map(\.member.fullName.value))::text[],
                        \(members.map { $0.member.gender?.rawValue ?? "" })::text[], \(members.map { $0.member.birthYear ?? 0 })::int[],
                        \(members.map { $0.member.ethnicity ?? "" })::text[], \(members.map { $0.member.phone?.national ?? "" })::text[],
                        \(members.map(\.member.role.rawValue))::text[], \(members.map(\.member.affiliation.rawValue))::text[],
                        \(members.map(\.member.hasSmartphone))::boolean[], \(members.map(\.member.trained))::boolean[],
                        \(members.map { $0.joinedOn ?? "" })::text[]
                    ) WITH ORDINALITY AS item (team_id, full_name, gender, birth_year, ethnicity, phone, role, affiliation,
                                               has_smartphone, trained, joined_on, position)
                    JOIN cds.teams t ON t.id = item.team_id
                    ORDER BY item.position
                    RETURNING id
                    """,
                    as: UUID.self
                )
            }
            return ids
        }
        return batch.response(Result(dryRun: batch.dryRun, imported: ids.count, ids: batch.dryRun ? [] : ids))
    }

    /// Each item's team: one the caller can read and may add members to, active, and not given a second leader
    /// (by the file or beside a current one). Unknown and foreign teams are the same fault, as everywhere.
    private static func checkTeams(
        of members: [(index: Int, team: UUID, member: Member, joinedOn: String?)],
        caller: Caller,
        faults: inout BatchFaults,
        in transaction: borrowing TenantTransaction
    ) async throws {
        let teams = Dictionary(
            uniqueKeysWithValues: try await transaction.rows(
                """
                SELECT t.id, t.commune_code, t.status,
                       EXISTS (SELECT 1 FROM cds.members l WHERE l.tenant_id = t.tenant_id AND l.team_id = t.id
                                                           AND l.role = 'leader' AND l.left_on IS NULL)
                FROM cds.teams t WHERE t.id = ANY (\(Array(Set(members.map(\.team)))))
                """,
                as: (UUID, Int, String, Bool).self
            ).map { id, commune, status, hasLeader in (id, (commune: commune, status: status, hasLeader: hasLeader)) }
        )
        var leaders: Set<UUID> = []
        for item in members {
            let missing = "no team has the id \(item.team.uuidString.lowercased())"
            var found: (commune: Int, status: String, hasLeader: Bool)?
            faults.collect(item.index, field: "team_id") {
                guard let team = teams[item.team] else { throw ProblemDetails.notFound(missing) }
                try caller.requireToChange(.membersManage, readable: .membersRead, on: team.commune, missing: missing)
                found = team
            }
            guard let team = found else { continue }
            if team.status != "active" {
                faults.add(item.index, field: "team_id", code: .dissolved, "the team is dissolved; reactivate it or choose an active team")
            }
            if item.member.role == .leader {
                if team.hasLeader || leaders.contains(item.team) {
                    faults.add(item.index, field: "role", code: .conflict, "the team already has a leader")
                }
                leaders.insert(item.team)
            }
        }
    }
}
