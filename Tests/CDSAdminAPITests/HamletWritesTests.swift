import CDSDatabase
import CDSTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite struct HamletWritesTests {
    @Test func createRenameMoveAndRetireAHamlet() async throws {
        try await AdminAPITestCase.run { api in
            let created = try await api.send(
                .post,
                "/v1/units",
                as: "district",
                body: #"{"commune_code":"3649","name":" Tổ  dân phố 1 ","kind":"to_dan_pho"}"#
            )
            #expect(created.status == 201)
            let unit = created.json as? [String: Any]
            #expect(unit?["code"] as? String == "3649-001")
            #expect(unit?["name"] as? String == "Tổ dân phố 1")
            let second = try await api.send(
                .post,
                "/v1/units",
                as: "district",
                body: #"{"commune_code":"3649","name":"Tổ dân phố 2","kind":"to_dan_pho"}"#
            )
            #expect((second.json as? [String: Any])?["code"] as? String == "3649-002")

            // A team on the hamlet, which follows it to its new commune.
            let team = try await api.send(.post, "/v1/teams", as: "district", body: #"{"unit_code":"3649-001","name":"Tổ bản Một"}"#)
            let teamID = try #require((team.json as? [String: Any])?["id"])

            let read = try await api.get("/v1/units/3649-001", as: "district")
            let etag = try #require(read.headers[.eTag])
            #expect(try await api.send(.patch, "/v1/units/3649-001", as: "district", body: #"{"name":"Tổ dân phố Một"}"#).status == 428)

            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(api.tokens["district"]!)"
            headers[.ifMatch] = etag
            let renamed = try await api.client.execute(
                uri: "/v1/units/3649-001",
                method: .patch,
                headers: headers,
                body: ByteBuffer(string: #"{"name":"Tổ dân phố Một","commune_code":"3646"}"#)
            ) { ($0.status.code, $0.headers[.eTag]) }
            #expect(renamed.0 == 200)
            #expect(renamed.1 != etag)
            // The same ETag again: the hamlet has changed since, so the second writer is told instead of overwriting.
            let stale = try await api.client.execute(
                uri: "/v1/units/3649-001",
                method: .patch,
                headers: headers,
                body: ByteBuffer(string: #"{"valid_to":"2030-01-01"}"#)
            ) { $0.status.code }
            #expect(stale == 412)

            let moved = try await api.get("/v1/units/3649-001", as: "district")
            #expect((moved.json as? [String: Any])?["parent_code"] as? String == "3646")
            let followed = try await api.get("/v1/teams/\(teamID)", as: "district").json as? [String: Any]
            #expect(followed?["commune_code"] as? String == "3646")
            #expect(followed?["hamlet_code"] as? String == "3649-001")

            headers[.ifMatch] = try await api.etag("/v1/units/3649-001", as: "district")
            let outside = try await api.client.execute(
                uri: "/v1/units/3649-001",
                method: .patch,
                headers: headers,
                body: ByteBuffer(string: #"{"commune_code":"3808"}"#)
            ) { $0.status.code }
            #expect(outside == 403)

            let audited = try await api.db.superuserRows(
                "SELECT actor, action FROM cds.audit_log WHERE entity = 'hamlets' ORDER BY id",
                as: (String, String).self
            )
            #expect(audited.map(\.1) == ["insert", "insert", "update"])
            #expect(audited.allSatisfy { $0.0 == "user:district" })
        }
    }

    @Test func officersAndNationalUnitsAreRefused() async throws {
        try await AdminAPITestCase.run { api in
            #expect(
                try await api.send(.post, "/v1/units", as: "officer", body: #"{"commune_code":"3646","name":"Tổ 9","kind":"to_dan_pho"}"#).status
                    == 403
            )
            #expect(
                try await api.send(.post, "/v1/units", as: "district", body: #"{"commune_code":"3808","name":"Bản Mới","kind":"ban"}"#).status == 403
            )
            #expect(
                try await api.send(.post, "/v1/units", as: "district", body: #"{"commune_code":"999999","name":"Bản Mới","kind":"ban"}"#).status
                    == 404
            )
            #expect(try await api.send(.post, "/v1/units", as: "district", body: #"{"commune_code":"3646","name":"  ","kind":"ban"}"#).status == 422)
            #expect(
                try await api.send(.post, "/v1/units", as: "district", body: #"{"commune_code":"3646","name":"Bản","kind":"village"}"#).status == 400
            )
            #expect(try await api.send(.patch, "/v1/units/3646", as: "district", body: #"{"name":"Phường Mới"}"#).status == 403)
            for day in ["2023-02-30", "1850-01-01", "30/12/2030"] {
                let body = #"{"valid_to":"\#(day)"}"#
                #expect(try await api.send(.patch, "/v1/units/3646-001", as: "district", body: body, ifMatch: "\"1\"").status == 400, "\(day)")
            }
            let count = try await api.db.superuserRows("SELECT count(*)::int FROM cds.hamlets", as: Int.self)
            #expect(count == [0])
        }
    }
}
