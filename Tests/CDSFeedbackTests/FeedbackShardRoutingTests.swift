import CDSTestSupport
import Testing

/// On a Citus cluster, a report filed through Open311 and its handling by the district's officer run every statement
/// on one shard: the district's worker. Counted by Citus itself (`citus_stat_counters`) over everything the requests
/// ran, the partner's key, the routing to the district and the webhook queued for the partner included.
@Suite(.enabled(if: CitusTestCluster.current != nil, "CDS_TEST_CITUS_ENV names no Citus cluster"))
struct FeedbackShardRoutingTests {
    @Test func aReportFiledAndHandledStaysOnItsDistrictsShard() async throws {
        try await FeedbackTestCase.run { test in
            try await test.db.resetShardExecutions()
            let code = try await test.file()
            #expect(try await test.transition(code, #"{"status": "accepted", "internal_note": "Giao phòng Kinh tế hạ tầng"}"#).status == 200)
            let executions = try await test.db.shardExecutions()
            #expect(executions.singleShard > 0)
            #expect(executions.multiShard == 0, "\(executions)")
        }
    }
}
