import CDSTestSupport
import Foundation
import Testing

@Suite struct ActivityRoutesTests {
    @Test func recordChangeListAndDeleteActivities() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            let created = try await api.send(
                .post,
                "/v1/activities",
                as: "officer",
                body:
                    #"{"team_id":"\#(fixture.a.teamID)","held_on":"2023-10-05","topic":"online_public_services","residents_reached":40,"note":"Cài VNeID"}"#
            )
            #expect(created.status == 201)
            let activity = try #require(created.json as? [String: Any])
            let id = try #require(activity["id"] as? String)
            #expect(activity["commune_code"] as? String == "3646")
            #expect(activity["hamlet_code"] as? String == fixture.a.hamletCode)

            for (body, status) in [
                (#"{"team_id":"\#(fixture.a.teamID)","held_on":"2023-10-05","topic":"gaming","residents_reached":4}"#, 400),
                (#"{"team_id":"\#(fixture.a.teamID)","held_on":"2023-10-05","topic":"e_commerce","residents_reached":-4}"#, 422),
                (#"{"team_id":"\#(fixture.a.teamID)","held_on":"05/10/2023","topic":"e_commerce","residents_reached":4}"#, 400),
                (#"{"team_id":"\#(fixture.b.teamID)","held_on":"2023-10-05","topic":"e_commerce","residents_reached":4}"#, 404),
            ] {
                #expect(try await api.send(.post, "/v1/activities", as: "district", body: body).status == status, "\(body)")
            }

            let changed = try await api.send(
                .patch,
                "/v1/activities/\(id)",
                as: "district",
                body: #"{"residents_reached":45,"note":null}"#,
                ifMatch: created.headers[.eTag]
            )
            #expect(changed.status == 200)
            #expect((changed.json as? [String: Any])?["residents_reached"] as? Int == 45)
            #expect((changed.json as? [String: Any])?["note"] is NSNull)

            let listed = try await api.get("/v1/activities?topic=online_public_services&unit=3646", as: "officer")
            #expect(((listed.json as? [String: Any])?["items"] as? [[String: Any]])?.count == 1)
            #expect(((try await api.get("/v1/activities", as: "muongla").json as? [String: Any])?["items"] as? [Any])?.count == 0)

            #expect(try await api.send(.delete, "/v1/activities/\(id)", as: "officer").status == 428)
            #expect(try await api.send(.delete, "/v1/activities/\(id)", as: "muongla", ifMatch: changed.headers[.eTag]).status == 404)
            #expect(try await api.send(.delete, "/v1/activities/\(id)", as: "officer", ifMatch: changed.headers[.eTag]).status == 204)
            let left = try await api.db.superuserRows("SELECT count(*)::int FROM cds.guidance_activities", as: Int.self)
            #expect(left == [0])
            let audited = try await api.db.superuserRows(
                "SELECT action FROM cds.audit_log WHERE entity = 'guidance_activities' ORDER BY id",
                as: String.self
            )
            #expect(audited == ["insert", "update", "delete"])
        }
    }
}
