import CDSTestSupport
import Foundation
import Testing

/// On a Citus cluster, a district officer's requests run every statement on one shard: the district's worker alone.
/// Counted by Citus itself (`citus_stat_counters`) over everything the requests ran, the token check and the
/// personal-data audit included.
@Suite(.enabled(if: CitusTestCluster.current != nil, "CDS_TEST_CITUS_ENV names no Citus cluster"))
struct AdminShardRoutingTests {
    @Test func aDistrictsMembersPageAndMemberChangeStayOnItsShard() async throws {
        try await AdminAPITestCase.run { api in
            let fixture = try await api.insertTwoDistricts()
            try await api.db.resetShardExecutions()
            let page = try await api.get("/v1/members?limit=50", as: "district")
            #expect(page.status == 200)
            #expect(((page.json as? [String: Any])?["items"] as? [Any])?.count == 1)
            let member = "/v1/members/\(fixture.a.memberID)"
            let trained = try await api.send(
                .patch,
                member,
                as: "district",
                body: #"{"trained":true}"#,
                ifMatch: try await api.etag(member, as: "district")
            )
            #expect(trained.status == 200)
            let executions = try await api.db.shardExecutions()
            #expect(executions.singleShard > 0)
            #expect(executions.multiShard == 0, "\(executions)")
        }
    }
}
