import CDSDatabase
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
}
