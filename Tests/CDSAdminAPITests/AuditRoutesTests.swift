import CDSDatabase
import CDSTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite struct AuditRoutesTests {
    /// A client that sends another request's id cannot make its entries look like that request's: the server's id
    /// stays apart, and only the client's own id field repeats.
    @Test func aClientCannotBorrowAnotherRequestsId() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            var serverIDs: [String] = []
            for (account, name) in [("district", "Tổ Một"), ("province", "Tổ Hai")] {
                let etag = try await api.etag("/v1/teams/\(fixture.a.teamID)", as: account)
                let answer = try await api.client.execute(
                    uri: "/v1/teams/\(fixture.a.teamID)",
                    method: .patch,
                    headers: [.authorization: "Bearer \(api.tokens[account]!)", .ifMatch: etag, HTTPField.Name("X-Request-Id")!: "same-id"],
                    body: ByteBuffer(string: #"{"name":"\#(name)"}"#)
                ) { ($0.status.code, $0.headers[HTTPField.Name("X-Request-Id")!]) }
                #expect(answer.0 == 200)
                serverIDs.append(try #require(answer.1))
            }
            #expect(Set(serverIDs).count == 2 && !serverIDs.contains("same-id"))
            let entries = try await api.db.superuserRows(
                "SELECT actor, request_id, client_request_id FROM cds.audit_log WHERE entity = 'teams' AND action = 'update' ORDER BY id",
                as: (String, String, String).self
            )
            #expect(entries.map(\.0) == ["user:district", "user:province"])
            #expect(entries.map(\.1) == serverIDs)
            #expect(entries.map(\.2) == ["same-id", "same-id"])
        }
    }

    /// A page of members shown with their personal data is one audit entry that names the request and lists the
    /// members; "who has read this member's personal data" finds it and the per-row entries written before, in the
    /// caller's districts only.
    @Test func whoReadAMembersPersonalDataIsOneQuery() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let member = fixture.a.memberID.uuidString.lowercased()
            _ = try await api.db.superuserRows(
                """
                INSERT INTO cds.audit_log (tenant_id, actor, action, entity, entity_key)
                VALUES (116, 'user:earlier', 'read_personal', 'members', \(member)) RETURNING id
                """,
                as: Int64.self
            )
            let page = try await api.get("/v1/members?limit=50", as: "district")
            let listed = ((page.json as? [String: Any])?["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(listed.contains(member))
            let reads = try await api.db.superuserRows(
                """
                SELECT actor, filters ->> 'limit', array_to_string(subjects, ',') FROM cds.audit_log
                WHERE action = 'read_personal' AND route = 'GET /v1/members'
                """,
                as: (String, String, String).self
            )
            #expect(reads.count == 1, "one entry for the page, not one a member")
            #expect(reads.first?.0 == "user:district" && reads.first?.1 == "50")
            #expect(reads.first?.2 == listed.joined(separator: ","))

            let found = try await api.get("/v1/audit?subject=\(member)", as: "district")
            let entries = (found.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(entries.map { $0["actor"] as? String } == ["user:district", "user:earlier"])
            #expect(entries.first?["route"] as? String == "GET /v1/members")
            #expect((entries.first?["subjects"] as? [String])?.contains(member) == true)
            #expect(entries.allSatisfy { $0["action"] as? String == "read_personal" })
            // Another district's admin finds none of them, and a commune officer may not read the log.
            let theirs = try await api.get("/v1/audit?subject=\(member)", as: "muongla")
            #expect(theirs.status == 200)
            #expect(((theirs.json as? [String: Any])?["items"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await api.get("/v1/audit?subject=\(member)", as: "officer").status == 403)
            #expect(try await api.get("/v1/audit?subject=\(member)&log=control", as: "province").status == 200)
        }
    }

    @Test func theLogOfAWriteFoundByItsRequestAndFilters() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let etag = try await api.etag("/v1/teams/\(fixture.a.teamID)", as: "district")
            let changed = try await api.client.execute(
                uri: "/v1/teams/\(fixture.a.teamID)",
                method: .patch,
                headers: [.authorization: "Bearer \(api.tokens["district"]!)", .ifMatch: etag, HTTPField.Name("X-Request-Id")!: "ticket-77"],
                body: ByteBuffer(string: #"{"decision_ref":"QĐ 9/QĐ-UBND"}"#)
            ) { ($0.status.code, $0.headers[HTTPField.Name("X-Request-Id")!], $0.headers[HTTPField.Name("X-Client-Request-Id")!]) }
            #expect(changed.0 == 200)
            // The server's own id answers as X-Request-Id; the client's comes back beside it.
            let serverID = try #require(changed.1)
            #expect(serverID != "ticket-77")
            #expect(changed.2 == "ticket-77")

            let found = try await api.get("/v1/audit?client_request_id=ticket-77", as: "district")
            let entries = (found.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(entries.count == 1)
            let entry = try #require(entries.first)
            #expect(entry["request_id"] as? String == serverID)
            #expect(entry["client_request_id"] as? String == "ticket-77")
            let byServerID = try await api.get("/v1/audit?request_id=\(serverID)", as: "district")
            #expect(((byServerID.json as? [String: Any])?["items"] as? [[String: Any]])?.count == 1)
            #expect(entry["actor"] as? String == "user:district")
            #expect(entry["entity"] as? String == "teams")
            #expect(entry["changed_fields"] as? [String] == ["decision_ref"])
            #expect((entry["before"] as? [String: Any])?["decision_ref"] is NSNull)
            #expect((entry["after"] as? [String: Any])?["decision_ref"] as? String == "QĐ 9/QĐ-UBND")
            let id = try #require(entry["id"] as? String)
            #expect(id.hasPrefix("116-"))
            #expect(try await api.get("/v1/audit/\(id)", as: "district").status == 200)
            // Another district's admin and a commune officer do not read this district's log.
            #expect(try await api.get("/v1/audit/\(id)", as: "muongla").status == 404)
            #expect(try await api.get("/v1/audit", as: "officer").status == 403)
            let theirs = try await api.get("/v1/audit?entity=teams", as: "muongla")
            #expect(((theirs.json as? [String: Any])?["items"] as? [[String: Any]])?.allSatisfy { $0["district_code"] as? Int == 120 } == true)

            // Pages, newest first, by principal and time; the control-plane log for the province only.
            let page = try await api.get("/v1/audit?principal=test:fixture&limit=2", as: "province")
            let first = (page.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            let cursor = try #require((page.json as? [String: Any])?["next_cursor"] as? String)
            let next = try await api.get("/v1/audit?principal=test:fixture&limit=2&cursor=\(cursor)", as: "province")
            let second = (next.json as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(first.count == 2 && !second.isEmpty)
            #expect(Set(first.compactMap { $0["id"] as? String }).isDisjoint(with: second.compactMap { $0["id"] as? String }))
            #expect(((try await api.get("/v1/audit?from=2099-01-01", as: "province").json as? [String: Any])?["items"] as? [Any])?.isEmpty == true)
            let control = try await api.get("/v1/audit?log=control&entity=grants", as: "province")
            #expect((((control.json as? [String: Any])?["items"] as? [[String: Any]])?.count ?? 0) >= 4)
            #expect(try await api.get("/v1/audit?log=control", as: "district").status == 403)
            #expect(try await api.get("/v1/audit?from=yesterday", as: "district").status == 400)
        }
    }
}
