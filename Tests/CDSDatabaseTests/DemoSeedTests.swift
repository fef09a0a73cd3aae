import CDSCore
import CDSDatabase
import CDSDemo
import CDSReports
import CDSTestSupport
import Foundation
import Testing

@Suite struct DemoSeedTests {
    @Test func theSeedReproducesTheEstablishmentTableExactlyAndOnce() async throws {
        try await TestDatabase.withFresh { db in
            try await db.withPools { app, _ in
                let table = try EstablishmentTable.sonLa2023()
                let seeder = DemoSeeder(database: app, dataset: "sonla-2023", table: table, referenceYear: 2023)
                let first = try await seeder.run()
                #expect(first.teams == 2990)
                #expect(first.members == 15301)
                #expect(first.hamlets == 2786 + 123)

                let scope = try await app.provinceScope()
                let report = try await app.withTenantScope(scope, actor: .operator("test")) { tx in
                    try await EstablishmentReport.compute(in: tx)
                }
                #expect(report.rows == table.rows)
                #expect(report.total.communeTeams == 204)
                #expect(report.total.hamletTeams == 2786)
                #expect(report.total.communeTeamMembers == 1894)
                #expect(report.total.hamletTeamMembers == 13407)
                #expect(report.total.hamletsWithoutTeam == 123)

                let second = try await seeder.run()
                #expect(second.teams == 0 && second.members == 0 && second.hamlets == 0)
                let again = try await app.withTenantScope(scope, actor: .operator("test")) { tx in
                    try await EstablishmentReport.compute(in: tx)
                }
                #expect(again == report)
            }
        }
    }

    @Test func generatedPeopleLookRealAndValidate() async throws {
        try await TestDatabase.withFresh { db in
            try await db.withPools { app, _ in
                let table = try EstablishmentTable.sonLa2023()
                let oneDistrict = try EstablishmentTable(
                    csv:
                        "order,district_code,district_name,commune_teams,hamlet_teams,commune_team_members,hamlet_team_members,hamlets_without_team\n"
                        + "12,127,Huyện Sốp Cộp,8,56,76,240,45\n"
                )
                _ = try await DemoSeeder(database: app, dataset: "sonla-2023", table: oneDistrict, referenceYear: 2023).run()
                #expect(table.rows.contains { $0.districtCode == 127 })
                let people = try await app.withTenantScope(.district(127), actor: .operator("test")) { tx in
                    try await tx.rows(
                        "SELECT full_name, phone, birth_year, ethnicity, has_smartphone, role FROM cds.members",
                        as: (String, String?, Int, String, Bool, String).self
                    )
                }
                #expect(people.count == 316)
                for (name, phone, birthYear, _, _, _) in people {
                    let member = try Member(
                        fullName: name,
                        gender: nil,
                        birthYear: birthYear,
                        ethnicity: nil,
                        phone: phone,
                        role: .member,
                        affiliation: .other,
                        hasSmartphone: true,
                        referenceYear: 2023
                    )
                    #expect(member.fullName.value == name)
                }
                #expect(Set(people.map(\.0)).count > 100)
                #expect(people.contains { !$0.4 })
                #expect(people.contains { $0.1 == nil })
                #expect(Set(people.map(\.3)).count >= 3)
                #expect(people.filter { $0.5 == "leader" }.count == 64)
                // Deterministic: the same seed gives the same first names on another database.
                #expect(people.map(\.0).contains { $0.unicodeScalars.contains { $0.value > 0x7f } })
            }
        }
    }

    @Test func theReportCoversOnlyTheScopedDistricts() async throws {
        try await TestDatabase.withFresh { db in
            try await db.withPools { app, _ in
                _ = try await DemoSeeder(database: app, dataset: "sonla-2023", table: .sonLa2023(), referenceYear: 2023).run()
                let report = try await app.withTenantScope(.district(120), actor: .operator("test")) { tx in
                    try await EstablishmentReport.compute(in: tx)
                }
                #expect(report.rows.map(\.districtCode) == [120])
                #expect(report.total.hamletsWithoutTeam == 33)
            }
        }
    }
}
