import CDSDatabase
import CDSHTTP
import CDSServer
import CDSTestSupport
import Foundation
import Testing

/// The document served at /openapi.json and the router never disagree: every route is documented and
/// every documented operation is routed. (Open311's routes are GeoReport v2's, documented by that specification.)
@Suite struct OpenAPIDocumentTests {
    @Test func theDocumentListsExactlyTheRoutes() async throws {
        let endpoint = try DatabaseEndpoint(url: "postgres://cds_app:x@127.0.0.1:1/cds?sslmode=disable")
        let (database, _) = Database.makeService(endpoint, logger: TestDatabase.logger)
        let routed = Set(
            try Server.buildRouter(database: database, traffic: PublicTraffic(.unlimited)).routes.map { "\($0.method) \($0.path)" }.filter { !$0.contains(" /open311/") && !$0.contains(" /console") }
        )

        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/CDSAdminAPI/openapi.json")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        #expect(document?["openapi"] as? String == "3.1.0")
        let paths = document?["paths"] as? [String: [String: Any]] ?? [:]
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        #expect(routed == documented)
        #expect(routed.contains("GET /v1/units/{code}"))
    }
}
