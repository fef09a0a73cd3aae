import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// `POST /v1/members` (a member joins an active team) and `PATCH /v1/members/{id}` (correct, move to another team of
/// the district, or record that the member left with `left_on`), with `members.manage` on the team's commune
/// (on both communes for a move) and `If-Match` for changes. Members are not deleted: their history stays.
struct MemberWrites: Sendable {
    struct NewMember: JSONRequestBody {
        static let fields: Set<String> = [
            "team_id", "full_name", "gender", "birth_year", "ethnicity", "phone", "role", "affiliation", "has_smartphone", "trained",
            "joined_on",
        ]
        /// The fields that may be `null` (unknown, or cleared by a change).
        static let nullable: Set<String> = ["gender", "birth_year", "ethnicity", "phone", "joined_on"]

        let teamID: String
        let fullName: String
        let gender: String?
        let birthYear: Int?
        let ethnicity: String?
        let phone: String?
        let role: String?
        let affiliation: String?
        let hasSmartphone: Bool?
        let trained: Bool?
        let joinedOn: String?
    }

    struct MemberChange: JSONRequestBody {
        static let fields: Set<String> = NewMember.fields.union(["left_on"])
        static let nullable: Set<String> = NewMember.nullable.union(["left_on"])

        let teamID: String?
        let fullName: String?
        let gender: PatchField<String>
        let birthYear: PatchField<Int>
        let ethnicity: PatchField<String>
        let phone: PatchField<String>
        let role: String?
        let affiliation: String?
        let hasSmartphone: Bool?
        let trained: Bool?
        let joinedOn: PatchField<String>
        let leftOn: PatchField<String>
    }

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("members", use: create)
        group.patch("members/{id}", use: update)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<MembersController.Member> {
        let caller = try context.requireCaller(holding: .membersManage)
        let body = try await JSONBody.decode(NewMember.self, from: request)
        let team = try RequestInput.uuid(Substring(body.teamID), field: "team_id")
        let row = try await database.withCallerScope(caller) { transaction in
            // The team first: an unknown or foreign team is a 404 whatever else the body says.
            try await Self.requireActiveTeam(team, field: "team_id", caller: caller, in: transaction)
            let (member, joinedOn) = try Self.validated(body)
            let inserted = try await Self.refusingSecondLeader {
                try await transaction.rows(
                    """
                    INSERT INTO cds.members (tenant_id, team_id, full_name, gender, birth_year, ethnicity, phone, role, affiliation,
                                             has_smartphone, trained, joined_on)
                    SELECT t.tenant_id, t.id, \(member.fullName.value), \(member.gender?.rawValue), \(member.birthYear)::smallint,
                           \(member.ethnicity), \(member.phone?.national), \(member.role.rawValue), \(member.affiliation.rawValue),
                           \(member.hasSmartphone), \(member.trained), \(date: joinedOn)
                    FROM cds.teams t WHERE t.tenant_id = ANY (\(transaction.districtCodes)) AND t.id = \(team)
                    RETURNING id
                    """,
                    as: UUID.self
                )
            }
            return try await MembersController.row(id: inserted[0], caller: caller, route: context.route(of: request), in: transaction)
        }
        return EntityVersion.response(
            MembersController.member(row, caller: caller),
            version: row.version,
            createdAt: "/v1/members/\(row.id.uuidString.lowercased())"
        )
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<MembersController.Member> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let body = try await JSONBody.decode(MemberChange.self, from: request)
        let targetTeam = try body.teamID.map { try RequestInput.uuid(Substring($0), field: "team_id") }
        let gender = try body.gender.map { try RequestInput.choice($0, field: "gender", Member.Gender.self)!.rawValue }
        let role = try RequestInput.choice(body.role, field: "role", Member.Role.self)?.rawValue
        let affiliation = try RequestInput.choice(body.affiliation, field: "affiliation", Member.Affiliation.self)?.rawValue
        let joinedOn = try body.joinedOn.map { try RequestInput.date(Substring($0), field: "joined_on")! }
        let leftOn = try body.leftOn.map { try RequestInput.date(Substring($0), field: "left_on")! }
        let missing = "no member has the id \(id)"
        let row = try await database.withCallerScope(caller) { transaction in
            let current = try await transaction.rows(
                """
                SELECT m.tenant_id, t.commune_code, \(unescaped: EntityVersion.expression("m"))
                FROM cds.members m JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id WHERE m.tenant_id = ANY (\(transaction.districtCodes)) AND m.id = \(id)
                """,
                as: (Int, Int, Int64).self
            )
            guard let (district, commune, version) = current.first else { throw ProblemDetails.notFound(missing) }
            try caller.requireToChange(.membersManage, readable: .membersRead, on: commune, missing: missing)
            let fullName = try ProblemDetails.validating { try body.fullName.map { try PersonName($0).value } }
            let birthYear = try ProblemDetails.validating { try body.birthYear.map { try Member.birthYear($0)! } }
            let ethnicity = try ProblemDetails.validating { try body.ethnicity.map { try Member.ethnicity($0) ?? "" } }
            let phone = try ProblemDetails.validating { try body.phone.map { try Member.phone($0)?.national ?? "" } }
            let expected = try EntityVersion.requireMatch(request, current: version, noun: "member")
            if let targetTeam { try await Self.requireActiveTeam(targetTeam, field: "team_id", caller: caller, in: transaction) }
            let updated = try await Self.refusingSecondLeader {
                try await transaction.rows(
                    """
                    UPDATE cds.members m SET
                        team_id = coalesce(\(targetTeam), m.team_id),
                        full_name = coalesce(\(fullName), m.full_name),
                        gender = CASE WHEN \(body.gender.isAbsent) THEN m.gender ELSE \(gender.value) END,
                        birth_year = CASE WHEN \(body.birthYear.isAbsent) THEN m.birth_year ELSE \(birthYear.value)::smallint END,
                        ethnicity = CASE WHEN \(body.ethnicity.isAbsent) THEN m.ethnicity ELSE nullif(\(ethnicity.value), '') END,
                        phone = CASE WHEN \(body.phone.isAbsent) THEN m.phone ELSE nullif(\(phone.value), '') END,
                        role = coalesce(\(role), m.role),
                        affiliation = coalesce(\(affiliation), m.affiliation),
                        has_smartphone = coalesce(\(body.hasSmartphone), m.has_smartphone),
                        trained = coalesce(\(body.trained), m.trained),
                        joined_on = CASE WHEN \(body.joinedOn.isAbsent) THEN m.joined_on ELSE \(date: joinedOn.value) END,
                        left_on = CASE WHEN \(body.leftOn.isAbsent) THEN m.left_on ELSE \(date: leftOn.value) END,
                        \(unescaped: EntityVersion.renewal("m"))
                    FROM cds.teams target
                    WHERE m.tenant_id = \(district) AND m.id = \(id) AND \(unescaped: EntityVersion.expression("m")) = \(expected)
                      AND target.tenant_id = m.tenant_id AND target.id = coalesce(\(targetTeam), m.team_id)
                    RETURNING m.id
                    """,
                    as: UUID.self
                )
            }
            if updated.isEmpty {
                let now = try await transaction.rows(
                    "SELECT \(unescaped: EntityVersion.expression("m")) FROM cds.members m WHERE m.tenant_id = ANY (\(transaction.districtCodes)) AND m.id = \(id)",
                    as: Int64.self
                )
                guard now.first == expected else { throw EntityVersion.changed("member") }
                throw ProblemDetails.conflict("team_id is a team of another district: members move only within their district")
            }
            return try await MembersController.row(id: id, caller: caller, route: context.route(of: request), in: transaction)
        }
        return EntityVersion.response(MembersController.member(row, caller: caller), version: row.version)
    }

    /// A new member's values, checked: a 422 naming the field at fault. The team is checked apart, against the database.
    static func validated(_ body: NewMember) throws -> (Member, joinedOn: String?) {
        let gender = try RequestInput.choice(body.gender, field: "gender", Member.Gender.self)
        let role = try RequestInput.choice(body.role, field: "role", Member.Role.self) ?? .member
        let affiliation = try RequestInput.choice(body.affiliation, field: "affiliation", Member.Affiliation.self) ?? .other
        let joinedOn = try RequestInput.date(body.joinedOn.map { Substring($0) }, field: "joined_on")
        let member = try ProblemDetails.validating {
            try Member(
                fullName: body.fullName,
                gender: gender,
                birthYear: body.birthYear,
                ethnicity: body.ethnicity,
                phone: body.phone,
                role: role,
                affiliation: affiliation,
                hasSmartphone: body.hasSmartphone ?? true,
                trained: body.trained ?? false
            )
        }
        return (member, joinedOn)
    }

    /// A team the caller may add members to: a 404 when it does not exist for the caller, a 403 without `members.manage`
    /// on its commune, a 409 when it is dissolved (a state of the team, not a fault of the request).
    static func requireActiveTeam(_ team: UUID, field: String, caller: Caller, in transaction: borrowing TenantTransaction) async throws {
        let missing = "\(field): no team has the id \(team)"
        let rows = try await transaction.rows(
            "SELECT commune_code, status FROM cds.teams WHERE tenant_id = ANY (\(transaction.districtCodes)) AND id = \(team)",
            as: (Int, String).self
        )
        guard let (commune, status) = rows.first else { throw ProblemDetails.notFound(missing) }
        try caller.requireToChange(.membersManage, readable: .membersRead, on: commune, missing: missing)
        guard status == "active" else { throw ProblemDetails.conflict("\(field): the team is dissolved; reactivate it or choose an active team") }
    }

    /// A team has at most one current leader: a second one is a 409.
    static func refusingSecondLeader<Result>(_ write: () async throws -> Result) async throws -> Result {
        do {
            return try await write()
        } catch let error where ConstraintViolation(error)?.kind == .unique {
            throw ProblemDetails.conflict("the team already has a leader: change the current leader's role first")
        } catch let error where ConstraintViolation(error)?.kind == .check {
            throw ProblemDetails.invalidValue(field: "left_on", "must not be before joined_on")
        }
    }
}
