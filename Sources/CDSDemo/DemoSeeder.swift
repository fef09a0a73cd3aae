import CDSCore
import CDSDatabase
import CDSReports
import Crypto
import Foundation
import Logging
import PostgresNIO

/// Generates, on top of the reference units, the hamlets, teams and members that reproduce a province's
/// establishment table exactly: per district the commune-level teams (one per commune), the hamlet-level
/// teams, their members, and the hamlets still without a team.
///
/// Deterministic: the same dataset name gives the same people, ids and codes on every run and machine.
/// Re-runnable: rows carry `source_system = demo:<dataset>` and stable external ids, so a second run
/// inserts nothing. Each district is written in one transaction, as `cds_app` within that district's scope.
public struct DemoSeeder: Sendable {
    public struct Summary: Hashable, Sendable {
        public var hamlets = 0
        public var teams = 0
        public var members = 0
    }

    public struct SeedError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    let database: Database
    let dataset: String
    let table: EstablishmentTable
    /// The year the generated people's ages are counted from (the report's year).
    let referenceYear: Int

    /// - Parameter database: a pool connected as the application role.
    public init(database: Database, dataset: String, table: EstablishmentTable, referenceYear: Int) {
        self.database = database
        self.dataset = dataset
        self.table = table
        self.referenceYear = referenceYear
    }

    /// Seeds every district of the table.
    /// - Throws: ``SeedError`` when a district's units are missing or do not match the table, or a district
    ///   already holds data that is not from this seed. Districts seeded before the error stay seeded.
    public func run() async throws -> Summary {
        var summary = Summary()
        for row in table.rows {
            let added = try await seed(row)
            summary.hamlets += added.hamlets
            summary.teams += added.teams
            summary.members += added.members
        }
        return summary
    }

    private var sourceSystem: String { "demo:\(dataset)" }

    private func seed(_ row: EstablishmentReport.Row) async throws -> Summary {
        try await database.withTenantScope(.district(row.districtCode), actor: .operator("demo-seed")) { transaction in
            let communes = try await transaction.rows(
                """
                SELECT code, name, division_type FROM cds.units
                WHERE level = 'commune' AND district_code = \(row.districtCode)
                ORDER BY display_order, code
                """,
                as: (Int, String, String).self
            )
            guard communes.count == row.communeTeams else {
                throw SeedError(
                    description:
                        "district \(row.districtCode) (\(row.districtName)) has \(communes.count) communes in the database, the table has \(row.communeTeams) commune teams: import the units first (cds-admin units import)"
                )
            }
            let foreign = try await transaction.rows(
                """
                SELECT (SELECT count(*) FROM cds.hamlets WHERE source_system <> \(sourceSystem))
                     + (SELECT count(*) FROM cds.teams WHERE source_system <> \(sourceSystem))
                """,
                as: Int.self
            )
            guard foreign.first == 0 else {
                throw SeedError(
                    description:
                        "district \(row.districtCode) (\(row.districtName)) already holds hamlets or teams that are not demo data; the demo seed is for empty districts"
                )
            }
            let plan = DistrictPlan(row: row, communes: communes.map { code, name, type in (code, name, type) }, dataset: dataset, referenceYear: referenceYear)
            return try await insert(plan, in: transaction)
        }
    }

    private func insert(_ plan: DistrictPlan, in transaction: borrowing TenantTransaction) async throws -> Summary {
        let tenant = plan.districtCode
        let source = sourceSystem
        let hamlets = try await transaction.rows(
            """
            INSERT INTO cds.hamlets (tenant_id, code, commune_code, name, kind, display_order, valid_from, source_system, external_id)
            SELECT \(tenant), code, commune_code, name, kind, display_order, '2023-01-01', \(source), code
            FROM unnest(\(plan.hamlets.map(\.code))::text[], \(plan.hamlets.map(\.communeCode))::int[],
                        \(plan.hamlets.map(\.name))::text[], \(plan.hamlets.map(\.kind))::text[], \(plan.hamlets.map(\.displayOrder))::int[])
                 AS h (code, commune_code, name, kind, display_order)
            ON CONFLICT DO NOTHING
            RETURNING 1
            """,
            as: Int.self
        ).count
        let teams = try await transaction.rows(
            """
            INSERT INTO cds.teams (tenant_id, id, level, commune_code, hamlet_code, name, established_on, decision_ref, source_system, external_id)
            SELECT \(tenant), id, level, commune_code, nullif(hamlet_code, ''), name, established_on::date, decision_ref, \(source), external_id
            FROM unnest(\(plan.teams.map(\.id))::uuid[], \(plan.teams.map(\.level))::text[], \(plan.teams.map(\.communeCode))::int[],
                        \(plan.teams.map { $0.hamletCode ?? "" })::text[], \(plan.teams.map(\.name))::text[],
                        \(plan.teams.map(\.establishedOn))::text[], \(plan.teams.map(\.decisionRef))::text[], \(plan.teams.map(\.externalID))::text[])
                 AS t (id, level, commune_code, hamlet_code, name, established_on, decision_ref, external_id)
            ON CONFLICT DO NOTHING
            RETURNING 1
            """,
            as: Int.self
        ).count
        let members = plan.members
        let inserted = try await transaction.rows(
            """
            INSERT INTO cds.members (tenant_id, id, team_id, full_name, gender, birth_year, ethnicity, phone, role,
                                     affiliation, has_smartphone, trained, joined_on, source_system, external_id)
            SELECT \(tenant), id, team_id, full_name, gender, birth_year, ethnicity, nullif(phone, ''), role,
                   affiliation, has_smartphone, trained, joined_on::date, \(source), external_id
            FROM unnest(\(members.map(\.id))::uuid[], \(members.map(\.teamID))::uuid[], \(members.map(\.person.fullName))::text[],
                        \(members.map(\.person.gender.rawValue))::text[], \(members.map(\.person.birthYear))::int[],
                        \(members.map(\.person.ethnicity))::text[], \(members.map { $0.person.phone ?? "" })::text[],
                        \(members.map(\.role.rawValue))::text[], \(members.map(\.person.affiliation.rawValue))::text[],
                        \(members.map(\.person.hasSmartphone))::bool[], \(members.map(\.person.trained))::bool[],
                        \(members.map(\.joinedOn))::text[], \(members.map(\.externalID))::text[])
                 AS m (id, team_id, full_name, gender, birth_year, ethnicity, phone, role, affiliation, has_smartphone, trained, joined_on, external_id)
            ON CONFLICT DO NOTHING
            RETURNING 1
            """,
            as: Int.self
        ).count
        database.logger.info(
            "seeded district",
            metadata: ["cds.tenant": "\(tenant)", "hamlets": "\(hamlets)", "teams": "\(teams)", "members": "\(inserted)"]
        )
        return Summary(hamlets: hamlets, teams: teams, members: inserted)
    }
}

/// What one district gets: laid out in memory first, so that the writes are three set-based statements.
struct DistrictPlan {
    struct HamletPlan {
        var code: String
        var communeCode: Int
        var name: String
        var kind: String
        var displayOrder: Int
    }
    struct TeamPlan {
        var id: UUID
        var level: String
        var communeCode: Int
        var hamletCode: String?
        var name: String
        var establishedOn: String
        var decisionRef: String
        var externalID: String
    }
    struct MemberPlan {
        var id: UUID
        var teamID: UUID
        var person: PersonGenerator.Person
        var role: Member.Role
        var joinedOn: String
        var externalID: String
    }

    let districtCode: Int
    var hamlets: [HamletPlan] = []
    var teams: [TeamPlan] = []
    var members: [MemberPlan] = []

    init(row: EstablishmentReport.Row, communes: [(code: Int, name: String, divisionType: String)], dataset: String, referenceYear: Int) {
        districtCode = row.districtCode
        var random = SeededGenerator(label: "\(dataset)/\(row.districtCode)")
        var names = HamletNames()

        // Hamlets spread evenly over the communes; which of them have no team yet is drawn at random.
        let hamletCount = row.hamletTeams + row.hamletsWithoutTeam
        var perCommune = Array(repeating: hamletCount / communes.count, count: communes.count)
        for index in Array(communes.indices).shuffled(using: &random).prefix(hamletCount % communes.count) { perCommune[index] += 1 }
        for (index, commune) in communes.enumerated() {
            let kind: HamletKind =
                switch commune.divisionType {
                case "phuong": .toDanPho
                case "thi_tran": .tieuKhu
                default: .ban
                }
            for number in stride(from: 1, through: perCommune[index], by: 1) {
                hamlets.append(
                    HamletPlan(
                        code: Hamlet.code(commune: commune.code, number: number),
                        communeCode: commune.code,
                        name: names.next(kind: kind, number: number, commune: commune.code, random: &random),
                        kind: kind.rawValue,
                        displayOrder: number
                    )
                )
            }
        }
        let uncovered = Set(hamlets.indices.shuffled(using: &random).prefix(row.hamletsWithoutTeam))

        func uuid(_ key: String) -> UUID {
            var bytes = Array(SHA256.hash(data: Data("\(dataset)/\(key)".utf8)).prefix(16))
            bytes[6] = (bytes[6] & 0x0f) | 0x50  // version 5 layout: name-based
            bytes[8] = (bytes[8] & 0x3f) | 0x80
            return UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                    bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                )
            )
        }
        func date(_ random: inout SeededGenerator) -> String {
            "2023-\(String(format: "%02d", Int.random(in: 1...8, using: &random)))-\(String(format: "%02d", Int.random(in: 1...28, using: &random)))"
        }
        for commune in communes {
            let key = "team/commune/\(commune.code)"
            teams.append(
                TeamPlan(
                    id: uuid(key),
                    level: "commune",
                    communeCode: commune.code,
                    hamletCode: nil,
                    name: "Tổ công nghệ số cộng đồng \(commune.name)",
                    establishedOn: date(&random),
                    decisionRef: "\(Int.random(in: 10...999, using: &random))/QĐ-UBND",
                    externalID: key
                )
            )
        }
        for (index, hamlet) in hamlets.enumerated() where !uncovered.contains(index) {
            let key = "team/hamlet/\(hamlet.code)"
            teams.append(
                TeamPlan(
                    id: uuid(key),
                    level: "hamlet",
                    communeCode: hamlet.communeCode,
                    hamletCode: hamlet.code,
                    name: "Tổ công nghệ số cộng đồng \(hamlet.name)",
                    establishedOn: date(&random),
                    decisionRef: "\(Int.random(in: 10...999, using: &random))/QĐ-UBND",
                    externalID: key
                )
            )
        }

        // Members spread over the teams of each level; every team has a leader, larger ones a deputy.
        var people = PersonGenerator(random: random)
        for level in ["commune", "hamlet"] {
            let levelTeams = teams.filter { $0.level == level }
            let total = level == "commune" ? row.communeTeamMembers : row.hamletTeamMembers
            guard !levelTeams.isEmpty else { continue }
            var sizes = Array(repeating: total / levelTeams.count, count: levelTeams.count)
            for index in Array(levelTeams.indices).shuffled(using: &people.random).prefix(total % levelTeams.count) { sizes[index] += 1 }
            for (team, size) in zip(levelTeams, sizes) {
                for position in 0..<size {
                    let role: Member.Role = position == 0 ? .leader : (position == 1 && size >= 3 ? .deputy : .member)
                    let key = "member/\(team.externalID)/\(position + 1)"
                    members.append(
                        MemberPlan(
                            id: uuid(key),
                            teamID: team.id,
                            person: people.person(isLeader: role == .leader, communeLevel: level == "commune", referenceYear: referenceYear),
                            role: role,
                            joinedOn: team.establishedOn,
                            externalID: key
                        )
                    )
                }
            }
        }
    }
}

/// Hamlet names as a province writes them: numbered tổ dân phố and tiểu khu, bản named in Thái.
struct HamletNames {
    private static let first = [
        "Nà", "Hua", "Co", "Huổi", "Pá", "Phiêng", "Nong", "Bó", "Tà", "Kéo", "Búng", "Lọng", "Púng", "Mòn", "Ten", "Hát", "Nậm", "Khau",
    ]
    private static let second = [
        "Cang", "Khoang", "Sản", "Lay", "Mường", "Cọ", "Bon", "Hịa", "Pục", "Lếch", "Sáy", "Phày", "Luông", "Mạt", "Tấu", "Nhọi", "Hin", "Đông",
    ]
    private var used: Set<String> = []

    mutating func next(kind: HamletKind, number: Int, commune: Int, random: inout SeededGenerator) -> String {
        guard kind == .ban else { return "\(kind.vietnameseName) \(number)" }
        var name = "Bản \(Self.first.randomElement(using: &random)!) \(Self.second.randomElement(using: &random)!)"
        if !used.insert("\(commune)/\(name)").inserted {
            name += " \(number)"
            used.insert("\(commune)/\(name)")
        }
        return name
    }
}
