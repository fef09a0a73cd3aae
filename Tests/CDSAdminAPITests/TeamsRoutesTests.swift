import CDSDatabase
import CDSTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite struct TeamsRoutesTests {
    static func names(_ result: (status: Int, json: Any?, headers: HTTPFields)) -> [String] {
        ((result.json as? [String: Any])?["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
    }

    @Test func eachCallerSeesTheTeamsItsGrantsReach() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                try await TwoDistricts.insert(into: app)
            }
            #expect(Self.names(try await api.get("/v1/teams", as: "district")).count == 1)
            #expect(Self.names(try await api.get("/v1/teams", as: "officer")).count == 1)
            #expect(Self.names(try await api.get("/v1/teams", as: "province")).count == 2)
            #expect(Self.names(try await api.get("/v1/teams?unit=3649", as: "district")).isEmpty)

            let own = try await api.get("/v1/teams/\(fixture.a.teamID)", as: "officer")
            #expect(own.status == 200)
            #expect((own.json as? [String: Any])?["member_count"] as? Int == 1)
            #expect(try await api.get("/v1/teams/\(fixture.b.teamID)", as: "district").status == 404)
            #expect(try await api.get("/v1/teams/\(UUID())", as: "district").status == 404)
        }
    }

    @Test func anOfficerSeesOnlyItsCommune() async throws {
        try await AdminAPITestCase.run { api in
            _ = try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                try await app.withTenantScope(.district(116), actor: .operator("test")) { tx in
                    try await tx.query(
                        "INSERT INTO cds.teams (tenant_id, level, commune_code, name) VALUES (116, 'commune', 3649, 'Tổ công nghệ số cộng đồng Phường Tô Hiệu')"
                    )
                }
            }
            #expect(Self.names(try await api.get("/v1/teams", as: "officer")).isEmpty)
            #expect(Self.names(try await api.get("/v1/teams", as: "district")) == ["Tổ công nghệ số cộng đồng Phường Tô Hiệu"])
        }
    }

    @Test(arguments: ["to hieu", "TÔ HIỆU", "cong nghe so", "phuong"])
    func searchIgnoresDiacriticsAndCase(_ q: String) async throws {
        try await AdminAPITestCase.run { api in
            _ = try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                try await app.withTenantScope(.district(116), actor: .operator("test")) { tx in
                    try await tx.query(
                        "INSERT INTO cds.teams (tenant_id, level, commune_code, name) VALUES (116, 'commune', 3649, 'Tổ công nghệ số cộng đồng Phường Tô Hiệu')"
                    )
                }
            }
            let query = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q
            #expect(Self.names(try await api.get("/v1/teams?q=\(query)", as: "district")).count == 1)
            #expect(Self.names(try await api.get("/v1/teams?q=muong%20la", as: "district")).isEmpty)
        }
    }
}
