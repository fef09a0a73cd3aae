import CDSDatabase
import CDSDemo
import CDSTestSupport
import Foundation
import Testing

/// The reports through the CLI and a real server, over the province's seeded 2023 figures.
@Suite struct StaffReportCommandTests {
    @Test func theEstablishmentReportInEachFormatAndTheOthers() async throws {
        try await AdminCLITestCase.run { server in
            try await Database.withDatabase(server.db.application, logger: TestDatabase.logger) { app in
                _ = try await DemoSeeder(database: app, dataset: "sonla-2023", table: .sonLa2023(), referenceYear: 2023).run()
            }
            let token = server.adminToken
            let csv = await server.cli(["report", "establishment", "--format", "csv"], token: token)
            #expect(csv.status == 0, "\(csv.error)")
            #expect(csv.output == AdminCommandTests.referenceCSV + "total,,Tổng cộng,204,2786,1894,13407,123\n")

            let table = await server.cli(["report", "establishment", "--format", "table"], token: token)
            let lines = table.output.split(separator: "\n").map(String.init)
            #expect(lines.count == 15)
            // Aligned: every line is as wide as the header, Vietnamese names included.
            #expect(Set(lines.map(\.count)).count == 1)
            #expect(lines[2].contains("Thành phố Sơn La"))

            let json = await server.cli(["report", "establishment", "--format", "json", "--district", "120"], token: token)
            let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            #expect((document?["total"] as? [String: Any])?["hamlets_without_team"] as? Int == 33)
            #expect((document?["districts"] as? [Any])?.count == 1)

            let coverage = await server.cli(["report", "coverage", "--district", "120", "--format", "csv"], token: token)
            #expect(
                coverage.output.hasPrefix("district_code,commune_code,commune_name,commune_team,hamlets,hamlets_with_team,hamlets_without_team\n")
            )
            let trainings = await server.cli(["report", "trainings", "--format", "json"], token: token)
            #expect(((try JSONSerialization.jsonObject(with: Data(trainings.output.utf8)) as? [String: Any])?["items"] as? [Any])?.isEmpty == false)
            #expect(await server.cli(["report", "activities", "--from", "2023-01-01", "--format", "csv"], token: token).status == 0)

            let unknown = await server.cli(["report", "establishment", "--district", "999"], token: token)
            #expect(unknown.status == 4)
            #expect(unknown.error.split(separator: "\n").count == 1)
        }
    }
}
