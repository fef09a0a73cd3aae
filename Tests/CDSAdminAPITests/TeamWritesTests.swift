import CDSTestSupport
import Foundation
import Testing

@Suite struct TeamWritesTests {
    @Test func createRenameDissolveAndReactivateATeam() async throws {
        try await AdminAPITestCase.run { api in
            let created = try await api.send(
                .post,
                "/v1/teams",
                as: "officer",
                body:
                    #"{"unit_code":"3646","name":"Tổ công nghệ số cộng đồng xã  Chiềng Cơi","established_on":"2023-04-12","decision_ref":"QĐ 12/QĐ-UBND"}"#
            )
            #expect(created.status == 201)
            let team = try #require(created.json as? [String: Any])
            let id = try #require(team["id"] as? String)
            #expect(team["level"] as? String == "commune")
            #expect(team["name"] as? String == "Tổ công nghệ số cộng đồng xã Chiềng Cơi")
            #expect(team["district_code"] as? Int == 116)
            #expect(created.headers[.location] == "/v1/teams/\(id)")
            let etag = try #require(created.headers[.eTag])

            // One active team per unit, whoever asks.
            let second = try await api.send(.post, "/v1/teams", as: "district", body: #"{"unit_code":"3646","name":"Tổ thứ hai"}"#)
            #expect(second.status == 409)

            #expect(try await api.send(.patch, "/v1/teams/\(id)", as: "officer", body: #"{"name":"Tổ CNS xã Chiềng Cơi"}"#).status == 428)
            let renamed = try await api.send(
                .patch,
                "/v1/teams/\(id)",
                as: "officer",
                body: #"{"name":"Tổ CNS xã Chiềng Cơi","decision_ref":null}"#,
                ifMatch: etag
            )
            #expect(renamed.status == 200)
            #expect((renamed.json as? [String: Any])?["decision_ref"] is NSNull)
            #expect((renamed.json as? [String: Any])?["established_on"] as? String == "2023-04-12")
            let stale = try await api.send(.patch, "/v1/teams/\(id)", as: "officer", body: #"{"dissolved_on":"2024-01-01"}"#, ifMatch: etag)
            #expect(stale.status == 412)

            let dissolved = try await api.send(
                .patch,
                "/v1/teams/\(id)",
                as: "officer",
                body: #"{"dissolved_on":"2024-01-31"}"#,
                ifMatch: renamed.headers[.eTag]
            )
            #expect((dissolved.json as? [String: Any])?["dissolved_on"] as? String == "2024-01-31")
            #expect((dissolved.json as? [String: Any])?["status"] as? String == "dissolved")
            // A dissolved team takes no members.
            let joining = try await api.send(.post, "/v1/members", as: "officer", body: #"{"team_id":"\#(id)","full_name":"Lò Thị Mai"}"#)
            #expect(joining.status == 409)
            // With the first one dissolved, the commune can have a new team.
            #expect(try await api.send(.post, "/v1/teams", as: "district", body: #"{"unit_code":"3646","name":"Tổ mới"}"#).status == 201)
            let reactivated = try await api.send(.patch, "/v1/teams/\(id)", as: "officer", body: #"{"dissolved_on":null}"#, ifMatch: dissolved.headers[.eTag])
            #expect(reactivated.status == 409)

            let audited = try await api.db.superuserRows(
                "SELECT action, coalesce(array_to_string(changed_fields, ','), ''), request_id IS NOT NULL FROM cds.audit_log WHERE entity = 'teams' ORDER BY id",
                as: (String, String, Bool).self
            )
            #expect(audited.map(\.0) == ["insert", "update", "update", "insert"])
            #expect(audited[1].1 == "decision_ref,name")
            #expect(audited.allSatisfy { $0.2 })
        }
    }

    @Test func hamletTeamsAndRefusals() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            _ = try await api.send(.post, "/v1/units", as: "district", body: #"{"commune_code":"3649","name":"Bản Mới","kind":"ban"}"#)
            // 3649-001 is a hamlet of another commune than the officer's: not the officer's to staff.
            #expect(try await api.send(.post, "/v1/teams", as: "officer", body: #"{"unit_code":"3649-001","name":"Tổ bản Mới"}"#).status == 404)
            let hamletTeam = try await api.send(.post, "/v1/teams", as: "district", body: #"{"unit_code":"3649-001","name":"Tổ bản Mới"}"#)
            #expect(hamletTeam.status == 201)
            #expect((hamletTeam.json as? [String: Any])?["hamlet_code"] as? String == "3649-001")
            #expect((hamletTeam.json as? [String: Any])?["commune_code"] as? String == "3649")
            // Another district's commune, hamlet and team do not exist for this caller.
            #expect(try await api.send(.post, "/v1/teams", as: "district", body: #"{"unit_code":"3808","name":"Tổ"}"#).status == 404)
            #expect(try await api.send(.post, "/v1/teams", as: "district", body: #"{"unit_code":"3808-001","name":"Tổ"}"#).status == 404)
            let foreign = try await api.send(.patch, "/v1/teams/\(fixture.b.teamID)", as: "district", body: #"{"name":"X"}"#, ifMatch: try await api.etag("/v1/teams/\(fixture.b.teamID)", as: "muongla"))
            #expect(foreign.status == 404)
            // Bad values are refused with the field, and nothing is written.
            let blank = try await api.send(.post, "/v1/teams", as: "district", body: #"{"unit_code":"3649","name":"   "}"#)
            #expect(blank.status == 422)
            #expect(((blank.json as? [String: Any])?["errors"] as? [[String: Any]])?.first?["field"] as? String == "name")
            let badDate = try await api.send(
                .post,
                "/v1/teams",
                as: "district",
                body: #"{"unit_code":"3649","name":"Tổ","established_on":"2023-02-30"}"#
            )
            #expect(badDate.status == 400)
            let sneaky = try await api.send(.post, "/v1/teams", as: "district", body: #"{"unit_code":"3649","name":"Tổ","tenant_id":120}"#)
            #expect(sneaky.status == 400)
            let teams = try await api.db.superuserRows("SELECT count(*)::int FROM cds.teams", as: Int.self)
            #expect(teams == [3])
        }
    }
}
