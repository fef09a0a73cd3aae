import CDSTestSupport
import Foundation
import Testing

@Suite struct MemberWritesTests {
    @Test func addCorrectMoveAndRetireAMember() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let added = try await api.send(
                .post,
                "/v1/members",
                as: "officer",
                body: #"""
                    {"team_id":"\#(fixture.a.teamID)","full_name":"lò  thị Hoa","gender":"female","birth_year":1995,
                     "ethnicity":"Thái","phone":"+84 389 123 456","affiliation":"youth_union","joined_on":"2023-05-01"}
                    """#
            )
            #expect(added.status == 201)
            let member = try #require(added.json as? [String: Any])
            let id = try #require(member["id"] as? String)
            #expect(member["role"] as? String == "member")
            #expect((member["personal"] as? [String: Any])?["phone"] as? String == "0389123456")
            #expect(added.headers[.location] == "/v1/members/\(id)")

            // A second leader is a conflict; the fixture's member leads the team.
            let leader = try await api.send(
                .post,
                "/v1/members",
                as: "officer",
                body: #"{"team_id":"\#(fixture.a.teamID)","full_name":"Cầm Văn Thắng","role":"leader"}"#
            )
            #expect(leader.status == 409)

            let newTeam = try await api.send(.post, "/v1/teams", as: "officer", body: #"{"unit_code":"3646","name":"Tổ xã Chiềng Cơi"}"#)
            let newTeamID = try #require((newTeam.json as? [String: Any])?["id"] as? String)
            let moved = try await api.send(
                .patch,
                "/v1/members/\(id)",
                as: "officer",
                body: #"{"team_id":"\#(newTeamID)","phone":null,"birth_year":null,"trained":true}"#,
                ifMatch: added.headers[.eTag]
            )
            #expect(moved.status == 200)
            let movedMember = try #require(moved.json as? [String: Any])
            #expect(movedMember["team_id"] as? String == newTeamID)
            #expect(movedMember["trained"] as? Bool == true)
            #expect((movedMember["personal"] as? [String: Any])?["phone"] is NSNull)
            #expect((movedMember["personal"] as? [String: Any])?["ethnicity"] as? String == "Thái")

            let early = try await api.send(.patch, "/v1/members/\(id)", as: "officer", body: #"{"left_on":"2020-01-01"}"#, ifMatch: moved.headers[.eTag])
            #expect(early.status == 422)
            let retired = try await api.send(
                .patch,
                "/v1/members/\(id)",
                as: "officer",
                body: #"{"left_on":"2024-06-30"}"#,
                ifMatch: moved.headers[.eTag]
            )
            #expect((retired.json as? [String: Any])?["left_on"] as? String == "2024-06-30")

            // The audit keeps what changed, never the phone itself.
            let audited = try await api.db.superuserRows(
                "SELECT action, coalesce(before::text, ''), coalesce(after::text, '') FROM cds.audit_log WHERE entity = 'members' AND entity_key = \(id) AND action <> 'read_personal' ORDER BY id",
                as: (String, String, String).self
            )
            #expect(audited.map(\.0) == ["insert", "update", "update"])
            #expect(audited[1].1.contains(#""phone": "redacted""#) && audited[1].2.contains(#""phone": null"#))
            #expect(!audited.map { "\($0)" }.joined().contains("0389123456"))
        }
    }

    @Test func refusalsChangeNothing() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let team = fixture.a.teamID
            let cases: [(String, Int)] = [
                (#"{"team_id":"\#(team)","full_name":"Lò Văn 7"}"#, 422),
                (#"{"team_id":"\#(team)","full_name":"Lò Văn Bảy","phone":"01689123456"}"#, 422),
                (#"{"team_id":"\#(team)","full_name":"Lò Văn Bảy","phone":"0241234567"}"#, 422),
                (#"{"team_id":"\#(team)","full_name":"Lò Văn Bảy","birth_year":1850}"#, 422),
                (#"{"team_id":"\#(team)","full_name":"Lò Văn Bảy","role":"chief"}"#, 400),
                (#"{"team_id":"\#(team)","full_name":"Lò Văn Bảy","tenant_id":120}"#, 400),
                (#"{"team_id":"\#(team)","full_name":"Lò Văn Bảy","trained":"yes"}"#, 400),
                (#"{"team_id":"\#(fixture.b.teamID)","full_name":"Lò Văn Bảy"}"#, 404),
            ]
            for (body, status) in cases {
                let answer = try await api.send(.post, "/v1/members", as: "district", body: body)
                #expect(answer.status == status, "\(body)")
                #expect(((answer.json as? [String: Any])?["type"] as? String)?.hasPrefix("https://cds.sonla.gov.vn/problems/") == true)
            }
            // An auditor reads members but does not change them; the officer of another commune does not see them.
            let moving = try await api.send(
                .patch,
                "/v1/members/\(fixture.a.memberID)",
                as: "district",
                body: #"{"team_id":"\#(fixture.b.teamID)"}"#,
                ifMatch: try await api.etag("/v1/members/\(fixture.a.memberID)", as: "district")
            )
            #expect(moving.status == 404)
            let members = try await api.db.superuserRows(
                "SELECT count(*)::int, min(team_id::text) FROM cds.members WHERE tenant_id = 116",
                as: (Int, String).self
            )
            #expect(members.first?.0 == 1)
            #expect(members.first?.1 == fixture.a.teamID.uuidString.lowercased())
        }
    }

    /// The served document states this year's plausible birth years, and the server accepts exactly those.
    @Test func theDocumentedBirthYearsAreTheAcceptedOnes() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let document = try await api.get("/openapi.json", as: nil).json as? [String: Any]
            let schemas = (document?["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let birthYear = ((schemas?["NewMember"] as? [String: Any])?["properties"] as? [String: Any])?["birth_year"] as? [String: Any]
            let minimum = try #require(birthYear?["minimum"] as? Int)
            let maximum = try #require(birthYear?["maximum"] as? Int)
            for (year, status) in [(minimum - 1, 422), (minimum, 201), (maximum, 201), (maximum + 1, 422)] {
                let body = #"{"team_id":"\#(fixture.a.teamID)","full_name":"Điêu Chính Tới","birth_year":\#(year)}"#
                #expect(try await api.send(.post, "/v1/members", as: "district", body: body).status == status, "\(year)")
            }
        }
    }
}
