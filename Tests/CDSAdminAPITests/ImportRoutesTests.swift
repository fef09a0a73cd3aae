import CDSTestSupport
import Foundation
import HTTPTypes
import Testing

/// `POST /v1/imports/members` and `/v1/imports/hamlets`: all or nothing, every item's faults in one answer.
@Suite struct ImportRoutesTests {
    static func errors(_ json: Any?) -> [String: String] {
        let errors = (json as? [String: Any])?["errors"] as? [[String: Any]] ?? []
        return Dictionary(errors.map { ($0["field"] as? String ?? "", $0["code"] as? String ?? "") }) { first, _ in first }
    }

    func count(_ table: String, in api: AdminAPITestCase) async throws -> Int {
        try await api.db.superuserRows("SELECT count(*)::int FROM cds.\(unescaped: table)", as: Int.self)[0]
    }

    @Test func membersAreImportedTogetherInTheOrderGiven() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let team = fixture.a.teamID.uuidString.lowercased()
            let body = """
                {"members": [
                  {"team_id": "\(team)", "full_name": "Lò Thị Hoa", "gender": "female", "birth_year": 1994, "ethnicity": "Thái",
                   "phone": "0912 345 670", "role": "deputy", "affiliation": "women_union", "has_smartphone": true,
                   "trained": true, "joined_on": "2024-03-08"},
                  {"team_id": "\(team)", "full_name": "Cầm Văn Sơn"},
                  {"team_id": "\(team)", "full_name": "Quàng Thị Lan", "phone": null, "birth_year": null}
                ]}
                """
            let dry = try await api.send(.post, "/v1/imports/members?dry_run=true", as: "officer", body: body)
            #expect(dry.status == 200)
            #expect((dry.json as? [String: Any])?["imported"] as? Int == 3)
            #expect(try await count("members", in: api) == 2)

            let done = try await api.send(.post, "/v1/imports/members", as: "officer", body: body)
            #expect(done.status == 201)
            let ids = try #require((done.json as? [String: Any])?["ids"] as? [String])
            #expect(ids.count == 3)
            let first = try #require(try await api.get("/v1/members/\(ids[0])", as: "district").json as? [String: Any])
            #expect(first["full_name"] as? String == "Lò Thị Hoa")
            #expect((first["personal"] as? [String: Any])?["phone"] as? String == "0912345670")
            let third = try #require(try await api.get("/v1/members/\(ids[2])", as: "district").json as? [String: Any])
            #expect(third["full_name"] as? String == "Quàng Thị Lan")
            #expect(try await count("members", in: api) == 5)
        }
    }

    /// One bad item spoils the batch: every fault named by its item, nothing written.
    @Test func everyFaultIsReportedAndNothingIsWritten() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let team = fixture.a.teamID.uuidString.lowercased()
            let body = """
                {"members": [
                  {"team_id": "\(team)", "full_name": "Lò Thị Hoa"},
                  {"team_id": "\(team)", "full_name": "Cầm Văn Sơn", "phone": "12345"},
                  {"team_id": "\(fixture.b.teamID.uuidString.lowercased())", "full_name": "Vì Văn Minh"},
                  {"team_id": "\(team)", "full_name": "Tòng Văn Dũng", "role": "leader"},
                  {"team_id": "\(team)", "full_name": "Lường Thị Mai", "gender": "other", "joined_on": "2024-02-30"}
                ]}
                """
            let answer = try await api.send(.post, "/v1/imports/members", as: "district", body: body)
            #expect(answer.status == 422)
            let errors = Self.errors(answer.json)
            #expect(errors["members[1].phone"] != nil)
            // District 120's team does not exist for district 116's admin.
            #expect(errors["members[2].team_id"] == "not_found")
            // The fixture's team has a leader already.
            #expect(errors["members[3].role"] == "conflict")
            #expect(errors["members[4].gender"] != nil)
            #expect(errors["members[0].full_name"] == nil)
            #expect(try await count("members", in: api) == 2)
        }
    }

    @Test func aBatchIsReadAsStrictlyAsOneBody() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let team = fixture.a.teamID.uuidString.lowercased()
            let body = #"{"members": [{"team_id": "\#(team)", "full_name": "Lò Thị Hoa", "tenant_id": 120}, 5, {"full_name": "X", "trained": 1}]}"#
            let answer = try await api.send(.post, "/v1/imports/members", as: "district", body: body)
            #expect(answer.status == 400)
            let errors = Self.errors(answer.json)
            #expect(errors["members[0].tenant_id"] == "unknown_field")
            #expect(errors["members[1]"] == "invalid_type")
            #expect(errors["members[2].team_id"] == "required" || errors["members[2].trained"] == "invalid_type")
            let empty = try await api.send(.post, "/v1/imports/members", as: "district", body: #"{"members": []}"#)
            #expect(empty.status == 422)
            let notAList = try await api.send(.post, "/v1/imports/members", as: "district", body: #"{"members": {}}"#)
            #expect(notAList.status == 400)
            #expect(try await count("members", in: api) == 2)
        }
    }

    @Test func hamletsAreNumberedInTheirCommunesAndNeverDoubled() async throws {
        try await AdminAPITestCase.run { api in
            _ = try await api.insertTwoDistricts()
            let body = """
                {"hamlets": [
                  {"commune_code": "3646", "name": "Bản Hẹ", "kind": "ban"},
                  {"commune_code": "3646", "name": "Tiểu khu 2", "kind": "tieu_khu"}
                ]}
                """
            let dry = try await api.send(.post, "/v1/imports/hamlets?dry_run=true", as: "district", body: body)
            #expect(dry.status == 200)
            #expect((dry.json as? [String: Any])?["codes"] as? [String] == ["3646-002", "3646-003"])
            let done = try await api.send(.post, "/v1/imports/hamlets", as: "district", body: body)
            #expect(done.status == 201)
            #expect((done.json as? [String: Any])?["codes"] as? [String] == ["3646-002", "3646-003"])
            let hamlet = try #require(try await api.get("/v1/units/3646-003", as: "district").json as? [String: Any])
            #expect(hamlet["name"] as? String == "Tiểu khu 2")

            // The same file again, a name twice and an unknown kind: all refused together.
            let again = """
                {"hamlets": [
                  {"commune_code": "3646", "name": "bản hẹ", "kind": "ban"},
                  {"commune_code": "3646", "name": "Bản Mới", "kind": "ban"},
                  {"commune_code": "3646", "name": "Bản Mới", "kind": "ban"},
                  {"commune_code": "3646", "name": "Bản Khác", "kind": "lang"}
                ]}
                """
            let refused = try await api.send(.post, "/v1/imports/hamlets", as: "district", body: again)
            #expect(refused.status == 422)
            let errors = Self.errors(refused.json)
            #expect(errors["hamlets[0].name"] == "duplicate")
            #expect(errors["hamlets[1].name"] == nil)
            #expect(errors["hamlets[2].name"] == "duplicate")
            #expect(errors["hamlets[3].kind"] != nil)
            // Well-formed items at odds with the data alone: a conflict.
            let twice = try await api.send(
                .post,
                "/v1/imports/hamlets",
                as: "district",
                body: #"{"hamlets": [{"commune_code": "3646", "name": "BẢN HẸ", "kind": "ban"}]}"#
            )
            #expect(twice.status == 409)
            #expect(Self.errors(twice.json) == ["hamlets[0].name": "duplicate"])
            // The national communes are everyone's reference, but only a grant on one lets its hamlets be added.
            let elsewhere = """
                {"hamlets": [{"commune_code": "3646", "name": "Bản Lướt", "kind": "ban"},
                             {"commune_code": "3808", "name": "Bản Lướt", "kind": "ban"}]}
                """
            let forbidden = try await api.send(.post, "/v1/imports/hamlets", as: "district", body: elsewhere)
            #expect(forbidden.status == 403)
            #expect(Self.errors(forbidden.json) == ["hamlets[1].commune_code": "forbidden"])
            #expect(try await count("hamlets", in: api) == 4)
        }
    }

    /// A caller who reads the whole district but manages one commune: an item for another commune's team is a 403,
    /// with the item named, and the batch's other items are not written either.
    @Test func anImportBeyondTheCallersUnitsIsForbidden() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            func id(_ answer: (status: Int, json: Any?, headers: HTTPFields)) throws -> String {
                try #require((answer.json as? [String: Any])?["id"] as? String)
            }
            let user = try id(try await api.send(.post, "/v1/users", as: "province", body: #"{"name": "mixed", "home_unit_code": "14"}"#))
            for (role, unit) in [("commune_officer", "3646"), ("auditor", "116")] {
                let grant = #"{"user_id": "\#(user)", "role": "\#(role)", "unit_code": "\#(unit)"}"#
                #expect(try await api.send(.post, "/v1/grants", as: "province", body: grant).status == 201)
            }
            let issued = try await api.send(.post, "/v1/tokens", as: "province", body: #"{"user_id": "\#(user)", "expires_in_days": 1}"#)
            let token = try #require((issued.json as? [String: Any])?["token"] as? String)
            let otherTeam = try id(
                try await api.send(.post, "/v1/teams", as: "district", body: #"{"unit_code": "3658", "name": "Tổ công nghệ số xã Chiềng Cọ"}"#)
            )
            let body = """
                {"members": [
                  {"team_id": "\(fixture.a.teamID.uuidString.lowercased())", "full_name": "Lò Thị Hoa"},
                  {"team_id": "\(otherTeam)", "full_name": "Cầm Văn Sơn"}
                ]}
                """
            let answer = try await api.send(.post, "/v1/imports/members", as: token, body: body)
            #expect(answer.status == 403)
            #expect(Self.errors(answer.json) == ["members[1].team_id": "forbidden"])
            #expect(try await count("members", in: api) == 2)
        }
    }
}
