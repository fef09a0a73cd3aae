import CDSTestSupport
import Foundation
import Testing

@Suite struct TrainingRoutesTests {
    @Test func sessionsOfTheDistrictAndOfACommuneWithAttendance() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            // The officer of commune 3646 runs its own sessions but not the district's.
            let refused = try await api.send(
                .post,
                "/v1/trainings",
                as: "officer",
                body: #"{"unit_code":"116","held_on":"2023-09-15","topic":"Dịch vụ công trực tuyến","mode":"online"}"#
            )
            #expect(refused.status == 403)
            let district = try await api.send(
                .post,
                "/v1/trainings",
                as: "district",
                body: #"{"unit_code":"116","held_on":"2023-09-15","topic":"Dịch vụ công  trực tuyến","mode":"online","organiser":"Sở TT&TT"}"#
            )
            #expect(district.status == 201)
            let session = try #require(district.json as? [String: Any])
            let id = try #require(session["id"] as? String)
            #expect(session["commune_code"] is NSNull)
            #expect(session["topic"] as? String == "Dịch vụ công trực tuyến")
            let commune = try await api.send(
                .post,
                "/v1/trainings",
                as: "officer",
                body:
                    #"{"unit_code":"3646","held_on":"2023-10-01","topic":"Thanh toán không dùng tiền mặt","mode":"in_person","bridge_point":"UBND xã"}"#
            )
            #expect(commune.status == 201)

            // The officer records its member at the district's session; the member is then trained.
            let attended = try await api.send(.put, "/v1/trainings/\(id)/attendance/\(fixture.a.memberID)", as: "officer")
            #expect(attended.status == 204)
            #expect(try await api.send(.put, "/v1/trainings/\(id)/attendance/\(fixture.a.memberID)", as: "officer").status == 204)
            let member = try await api.get("/v1/members/\(fixture.a.memberID)", as: "officer")
            #expect((member.json as? [String: Any])?["trained"] as? Bool == true)
            let attendees = try await api.get("/v1/trainings/\(id)/attendance", as: "officer")
            #expect(
                ((attendees.json as? [String: Any])?["items"] as? [[String: Any]])?.map { $0["member_id"] as? String } == [
                    fixture.a.memberID.uuidString.lowercased()
                ]
            )
            let shown = try await api.get("/v1/trainings/\(id)", as: "officer")
            #expect((shown.json as? [String: Any])?["attendee_count"] as? Int == 1)

            // Another district's member cannot attend; the officer sees both sessions, the other district's admin neither.
            #expect(try await api.send(.put, "/v1/trainings/\(id)/attendance/\(fixture.b.memberID)", as: "district").status == 404)
            let listed = try await api.get("/v1/trainings?from=2023-09-01&to=2023-12-31", as: "officer")
            #expect(((listed.json as? [String: Any])?["items"] as? [[String: Any]])?.count == 2)
            #expect(((try await api.get("/v1/trainings", as: "muongla").json as? [String: Any])?["items"] as? [Any])?.count == 0)
            #expect(try await api.get("/v1/trainings/\(id)", as: "muongla").status == 404)

            // Changes need the ETag; the officer may not change the district's session.
            let etag = try #require(district.headers[.eTag])
            #expect(try await api.send(.patch, "/v1/trainings/\(id)", as: "officer", body: #"{"mode":"in_person"}"#, ifMatch: etag).status == 403)
            let changed = try await api.send(.patch, "/v1/trainings/\(id)", as: "district", body: #"{"organiser":null}"#, ifMatch: etag)
            #expect(changed.status == 200)
            #expect((changed.json as? [String: Any])?["organiser"] is NSNull)
            #expect(try await api.send(.delete, "/v1/trainings/\(id)", as: "district", ifMatch: etag).status == 412)
            #expect(try await api.send(.delete, "/v1/trainings/\(id)/attendance/\(fixture.a.memberID)", as: "officer").status == 204)
            #expect(try await api.send(.delete, "/v1/trainings/\(id)/attendance/\(fixture.a.memberID)", as: "officer").status == 404)
            #expect(try await api.send(.delete, "/v1/trainings/\(id)", as: "district", ifMatch: changed.headers[.eTag]).status == 204)
            #expect(try await api.get("/v1/trainings/\(id)", as: "district").status == 404)
        }
    }
}
