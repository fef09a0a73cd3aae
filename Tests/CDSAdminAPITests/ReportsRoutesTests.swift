import CDSDatabase
import CDSDemo
import CDSTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite struct ReportsRoutesTests {
    @Test func theEstablishmentTableAsJSONAndAsCSVForExcel() async throws {
        try await AdminAPITestCase.run { api in
            try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                _ = try await DemoSeeder(database: app, dataset: "sonla-2023", table: .sonLa2023(), referenceYear: 2023).run()
            }
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(api.tokens["province"]!)"
            let csv = try await api.client.execute(uri: "/v1/reports/establishment?format=csv", method: .get, headers: headers) {
                ($0.status.code, $0.headers[.contentType], Array($0.body.readableBytesView))
            }
            #expect(csv.0 == 200)
            #expect(csv.1 == "text/csv; charset=utf-8")
            #expect(Array(csv.2.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let text = String(decoding: csv.2.dropFirst(3), as: UTF8.self)
            let reference = try String(
                contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("../../sql/reference/sonla/establishment-2023-09-30.csv"),
                encoding: .utf8
            )
            #expect(text == reference + "total,,Tổng cộng,204,2786,1894,13407,123\n")

            let muongLa = try await api.get("/v1/reports/establishment", as: "muongla")
            let document = muongLa.json as? [String: Any]
            #expect((document?["districts"] as? [[String: Any]])?.map { $0["district_code"] as? Int } == [120])
            #expect((document?["total"] as? [String: Any])?["hamlets_without_team"] as? Int == 33)

            let officer = try await api.get("/v1/reports/establishment", as: "officer")
            #expect((officer.json as? [String: Any]).flatMap { ($0["districts"] as? [[String: Any]])?.count } == 1)
            #expect(try await api.get("/v1/reports/establishment?format=xlsx", as: "district").status == 400)
        }
    }

    @Test func coverageTrainingsAndActivitiesOverTheCallersReach() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            _ = try await api.send(.post, "/v1/units", as: "district", body: #"{"commune_code":"3646","name":"Bản Mới","kind":"ban"}"#)
            _ = try await api.send(.put, "/v1/trainings/\(UUID())/attendance/\(fixture.a.memberID)", as: "district")
            _ = try await api.send(
                .post,
                "/v1/activities",
                as: "officer",
                body: #"{"team_id":"\#(fixture.a.teamID)","held_on":"2023-10-05","topic":"e_commerce","residents_reached":40}"#
            )
            _ = try await api.send(
                .post,
                "/v1/activities",
                as: "officer",
                body: #"{"team_id":"\#(fixture.a.teamID)","held_on":"2023-10-20","topic":"e_commerce","residents_reached":2}"#
            )
            _ = try await api.send(
                .post,
                "/v1/activities",
                as: "muongla",
                body: #"{"team_id":"\#(fixture.b.teamID)","held_on":"2023-10-20","topic":"e_commerce","residents_reached":99}"#
            )

            // The officer of 3646 reads its commune only; the commune has two hamlets, one with a team.
            let coverage = try await api.get("/v1/reports/coverage", as: "officer")
            let communes = (coverage.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(communes.map { $0["commune_code"] as? Int } == [3646])
            #expect(communes.first?["hamlets"] as? Int == 2)
            #expect(communes.first?["hamlets_without_team"] as? Int == 1)
            #expect(communes.first?["commune_team"] as? Bool == false)
            // The district admin reads every commune of its district, and only those.
            let district = try await api.get("/v1/reports/coverage", as: "district")
            let rows = (district.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(rows.count > 1 && rows.allSatisfy { $0["district_code"] as? Int == 116 })

            let trainings = try await api.get("/v1/reports/trainings?format=csv", as: "officer")
            #expect(trainings.status == 200)
            // Members without a smartphone, counted as the registry holds them.
            _ = try await api.send(
                .post,
                "/v1/members",
                as: "officer",
                body: #"{"team_id":"\#(fixture.a.teamID)","full_name":"Quàng Văn Nghe","has_smartphone":false}"#
            )
            let readiness = try await api.get("/v1/reports/trainings", as: "officer")
            let commune = ((readiness.json as? [String: Any])?["items"] as? [[String: Any]])?.first
            let withoutPhone = try await api.db.superuserRows(
                """
                SELECT count(*)::int FROM cds.members m JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id
                WHERE t.commune_code = 3646 AND t.status = 'active' AND m.left_on IS NULL AND NOT m.has_smartphone
                """,
                as: Int.self
            )
            #expect(withoutPhone[0] >= 1 && commune?["without_smartphone"] as? Int == withoutPhone[0])
            let activities = try await api.get("/v1/reports/activities?from=2023-10-01&to=2023-10-31", as: "district")
            let totals = (activities.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(totals.count == 1)
            #expect(totals.first?["month"] as? String == "2023-10")
            #expect(totals.first?["activities"] as? Int == 2)
            #expect(totals.first?["residents_reached"] as? Int == 42)
            let province = try await api.get("/v1/reports/activities?district=120", as: "province")
            #expect((((province.json as? [String: Any])?["items"] as? [[String: Any]])?.first?["residents_reached"] as? Int) == 99)
            #expect(try await api.get("/v1/reports/coverage?district=120", as: "district").status == 404)
        }
    }
}
