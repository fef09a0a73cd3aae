import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird
import PostgresNIO

/// `GET /v1/members` and `GET /v1/members/{id}`: members of the teams the caller may read (`members.read`).
/// Phone, birth year and ethnicity are shown only where the caller holds `members.read_personal`, and every
/// such read is recorded in the audit log in the same transaction.
struct MembersController: Sendable {
    typealias Member = Wire.Member
    typealias Personal = Wire.Member.Personal

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("members", use: list)
        group.get("members/{id}", use: show)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> RawPage {
        let caller = try context.requireCaller(holding: .membersRead)
        let query = request.uri.queryParameters
        let page = try PageRequest(request)
        let team = try query["team"].map { try RequestInput.uuid($0, field: "team") }
        let unit = try RequestInput.unitCode(query["unit"], field: "unit")
        let role = try RequestInput.choice(query["role"], field: "role", among: ["leader", "deputy", "member"])
        let smartphone = try RequestInput.choice(query["smartphone"], field: "smartphone", among: ["true", "false"])
        let trained = try RequestInput.choice(query["trained"], field: "trained", among: ["true", "false"])
        let search = try RequestInput.text(query["q"], field: "q", maxLength: 100).map { VietnameseText.searchKey($0) }
        let reach = caller.policy.reach(of: .membersRead)
        let personal = caller.policy.reach(of: .membersReadPersonal)
        let statement = MemberPageStatement(
            reach: reach,
            after: page.after,
            team: team,
            unit: unit,
            role: role,
            smartphone: smartphone.map { $0 == "true" },
            trained: trained.map { $0 == "true" },
            search: search,
            rows: page.rowsToRead
        )
        // The page statement's absent filters fold away only in a plan made for this call's values.
        let rows = try await database.withCallerScope(caller, plans: .custom) { transaction in
            let rows: [MemberRow]
            switch transaction.engine {
            case .postgresql: rows = try await transaction.execute(statement).map(MemberRow.init)
            case .citus: rows = try await transaction.execute(MemberPageStatement.Distributed(page: statement)).map(MemberRow.init)
            }
            try await Self.auditPersonalReads(
                Array(rows.prefix(page.limit)),
                caller: caller,
                route: context.route(of: request),
                filters: Self.filters(of: request),
                in: transaction
            )
            return rows
        }
        var items = JSONObjectWriter(capacity: rows.count * 512)
        for row in rows.prefix(page.limit) {
            Self.member(row, personal: personal).writeJSON(to: &items)
        }
        return RawPage(items: items.bytes, nextCursor: rows.count > page.limit ? rows[page.limit - 1].id.uuidString.lowercased() : nil)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Member> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let reach = caller.policy.reach(of: .membersRead)
        let rows = try await database.withCallerScope(caller) { transaction in
            let rows = try await transaction.rows(
                """
                SELECT \(unescaped: MemberRow.columns)
                FROM cds.members m JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id
                WHERE m.tenant_id = ANY (\(transaction.districtCodes)) AND m.id = \(id)
                  AND (m.tenant_id = ANY (\(reach.districts.map(\.rawValue))) OR t.commune_code = ANY (\(Array(reach.communes))))
                """,
                of: MemberRow.self
            )
            try await Self.auditPersonalReads(rows, caller: caller, route: context.route(of: request), in: transaction)
            return rows
        }
        guard let row = rows.first else { throw ProblemDetails.notFound("no member has the id \(id)") }
        return EntityVersion.response(Self.member(row, caller: caller), version: row.version)
    }

    /// One member, whoever may read it, its personal-data read audited as part of `route`: for writes, which check
    /// their own permission first.
    static func row(id: UUID, caller: Caller, route: String, in transaction: borrowing TenantTransaction) async throws -> MemberRow {
        let rows = try await transaction.rows(
            "SELECT \(unescaped: MemberRow.columns) FROM cds.members m JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id WHERE m.tenant_id = ANY (\(transaction.districtCodes)) AND m.id = \(id)",
            of: MemberRow.self
        )
        guard let row = rows.first else { throw ProblemDetails.notFound("no member has the id \(id)") }
        try await auditPersonalReads([row], caller: caller, route: route, in: transaction)
        return row
    }

    /// Whether the caller may see the personal data of a member of a team of `commune` (a grant on the commune,
    /// its district or the province).
    /// - Parameter personal: the caller's reach of `members.read_personal`, computed once per request.
    static func readsPersonal(_ row: MemberRow, _ personal: AccessPolicy.Reach) -> Bool {
        personal.districts.contains(row.district) || personal.communes.contains(row.communeCode)
    }

    /// Records, in one audit entry per district, the members of `rows` whose personal data the caller was shown.
    static func auditPersonalReads(
        _ rows: [MemberRow],
        caller: Caller,
        route: String,
        filters: [String: String] = [:],
        in transaction: borrowing TenantTransaction
    ) async throws {
        let personal = caller.policy.reach(of: .membersReadPersonal)
        let shown = rows.filter { readsPersonal($0, personal) }
        try await transaction.recordPersonalDataRead(
            PersonalDataRead(
                entity: "members",
                route: route,
                filters: filters,
                subjects: shown.map { ($0.district, $0.id.uuidString.lowercased()) }
            )
        )
    }

    /// The list's filters and paging as the request gave them, for the audit entry of its personal-data read.
    static func filters(of request: Request) -> [String: String] {
        let query = request.uri.queryParameters
        var filters: [String: String] = [:]
        for name in ["team", "unit", "role", "smartphone", "trained", "q", "cursor", "limit"] {
            if let value = query[Substring(name)] { filters[name] = String(value) }
        }
        return filters
    }

    static func member(_ row: MemberRow, caller: Caller) -> Member {
        member(row, personal: caller.policy.reach(of: .membersReadPersonal))
    }

    static func member(_ row: MemberRow, personal: AccessPolicy.Reach) -> Member {
        Member(
            id: row.id,
            districtCode: row.district.rawValue,
            teamID: row.teamID,
            communeCode: String(row.communeCode),
            hamletCode: row.hamletCode,
            fullName: row.fullName,
            gender: row.gender,
            role: row.role,
            affiliation: row.affiliation,
            hasSmartphone: row.hasSmartphone,
            trained: row.trained,
            joinedOn: row.joinedOn,
            leftOn: row.leftOn,
            personal: readsPersonal(row, personal)
                ? Personal(phone: row.phone, birthYear: row.birthYear, ethnicity: row.ethnicity) : nil
        )
    }
}
