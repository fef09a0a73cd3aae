import CDSCore
import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

@Suite struct MembersRoutesTests {
    @Test func personalDataOnlyWithThePermissionAndEveryReadAudited() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                let fixture = try await TwoDistricts.insert(into: app)
                let plane = ControlPlane(database: app)
                let auditor = try await plane.createStaffUser(name: "kiem", displayName: nil, homeUnit: 116, actor: .operator("test"))
                try await plane.grant(role: "auditor", unitCode: 116, to: auditor, grantedBy: nil, actor: .operator("test"))
                return fixture
            }
            let district = try await api.get("/v1/members/\(fixture.a.memberID)", as: "district")
            #expect(district.status == 200)
            let personal = (district.json as? [String: Any])?["personal"] as? [String: Any]
            #expect(personal?["phone"] as? String == "0912345678")

            let auditorToken = try await Database.withDatabase(api.db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let id = try #require(try await plane.principalID(named: "kiem"))
                return try await plane.issueToken(for: id, issuedWith: nil, label: nil, expiresAt: nil, actor: .operator("test")).token
            }
            let auditor = try await api.get("/v1/members?q=lo%20van", as: auditorToken)
            let items = (auditor.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1)
            #expect(items.first?["personal"] is NSNull)

            #expect(try await api.get("/v1/members/\(fixture.b.memberID)", as: "district").status == 404)

            let reads = try await api.db.superuserRows(
                "SELECT actor, entity_key FROM cds.audit_log WHERE action = 'read_personal'",
                as: (String, String).self
            )
            #expect(reads.map(\.0) == ["user:district"])
            #expect(reads.map(\.1) == [fixture.a.memberID.uuidString.lowercased()])
        }
    }

    /// The list's items are written by ``JSONObjectWriter``, one member alone by `JSONEncoder`: both must be the same object.
    @Test func aListItemIsTheSameObjectAsTheMemberAlone() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            _ = try await api.send(
                .patch,
                "/v1/members/\(fixture.a.memberID)",
                as: "district",
                body: #"{"birth_year":1990,"ethnicity":"Thái","gender":"male","joined_on":"2023-03-08"}"#,
                ifMatch: try await api.etag("/v1/members/\(fixture.a.memberID)", as: "district")
            )
            for account in ["district", "officer", "province"] {
                let listed = try await api.get("/v1/members?team=\(fixture.a.teamID)", as: account)
                let item = try #require(((listed.json as? [String: Any])?["items"] as? [[String: Any]])?.first)
                let alone = try #require(try await api.get("/v1/members/\(fixture.a.memberID)", as: account).json as? [String: Any])
                #expect(NSDictionary(dictionary: item) == NSDictionary(dictionary: alone), "as \(account)")
                #expect(Set(item.keys) == Set(alone.keys))
            }
        }
    }
}
