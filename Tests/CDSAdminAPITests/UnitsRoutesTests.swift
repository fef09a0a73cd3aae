import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

@Suite struct UnitsRoutesTests {
    @Test func listsChildrenPageByPage() async throws {
        try await AdminAPITestCase.run { api in
            let first = try await api.get("/v1/units?parent=120&limit=10", as: "district")
            #expect(first.status == 200)
            let page = first.json as? [String: Any]
            let items = page?["items"] as? [[String: Any]] ?? []
            #expect(items.count == 10)
            let cursor = try #require(page?["next_cursor"] as? String)
            let second = try await api.get("/v1/units?parent=120&limit=10&cursor=\(cursor)", as: "district")
            let rest = (second.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(rest.count == 6)
            #expect((second.json as? [String: Any])?["next_cursor"] is NSNull)
            #expect(Set((items + rest).compactMap { $0["district_code"] as? Int }) == [120])
        }
    }

    @Test(arguments: ["limit=0", "limit=501", "limit=ten", "level=village"])
    func malformedParametersAreAProblem(_ query: String) async throws {
        try await AdminAPITestCase.run { api in
            let result = try await api.get("/v1/units?\(query)", as: "district")
            #expect(result.status == 400)
            #expect(result.headers[.contentType] == "application/problem+json")
            #expect(((result.json as? [String: Any])?["errors"] as? [Any])?.count == 1)
        }
    }

    /// Rule 8 over HTTP: another district's hamlet answers exactly like a hamlet that does not exist.
    @Test func anotherDistrictsHamletIsNotFound() async throws {
        try await AdminAPITestCase.run { api in
            try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                _ = try await TwoDistricts.insert(into: app)
            }
            let own = try await api.get("/v1/units/3808-001", as: "muongla")
            #expect(own.status == 200)
            #expect((own.json as? [String: Any])?["name"] as? String == "Bản Nà Cang")

            let foreign = try await api.get("/v1/units/3808-001", as: "district")
            let missing = try await api.get("/v1/units/3808-999", as: "district")
            #expect(foreign.status == 404)
            #expect(missing.status == 404)
            var foreignProblem = foreign.json as? [String: String]
            var missingProblem = missing.json as? [String: String]
            foreignProblem?["detail"] = nil
            missingProblem?["detail"] = nil
            #expect(foreignProblem == missingProblem)

            let hamlets = try await api.get("/v1/units?level=hamlet", as: "district")
            let codes = ((hamlets.json as? [String: Any])?["items"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(codes == ["3646-001"])
        }
    }
}

extension UnitsRoutesTests {
    @Test(arguments: ["/v1/units/abc", "/v1/units/3646-1", "/v1/units/1234567", "/v1/units?parent=x", "/v1/units?cursor=%00"])
    func malformedUnitCodesAreAProblemNotAQuery(_ uri: String) async throws {
        try await AdminAPITestCase.run { api in
            let result = try await api.get(uri, as: "district")
            #expect(result.status == 400)
            let errors = (result.json as? [String: Any])?["errors"] as? [[String: Any]]
            #expect(errors?.first?["code"] as? String == "invalid_format")
        }
    }

    @Test func aKnownPathWithAnotherMethodIs405WithAllow() async throws {
        try await AdminAPITestCase.run { api in
            let status = try await api.client.execute(uri: "/v1/units/3646", method: .delete) { ($0.status.code, $0.headers[.allow]) }
            #expect(status.0 == 405)
            #expect(status.1 == "GET, PATCH")
            let unknown = try await api.client.execute(uri: "/v1/nowhere", method: .get) { $0.status.code }
            #expect(unknown == 404)
        }
    }
}
