import CDSRosterProto
import CDSTestSupport
import Testing

/// On a Citus cluster, a district's push and pull run every statement on one shard: the district's worker alone,
/// whatever else the cluster holds. Counted by Citus itself (`citus_stat_counters`) over everything the calls ran.
@Suite(.enabled(if: CitusTestCluster.current != nil, "CDS_TEST_CITUS_ENV names no Citus cluster"))
struct RosterShardRoutingTests {
    @Test func aDistrictsPushAndPullStayOnItsShard() async throws {
        try await RosterSyncTestCase.run { harness in
            try await harness.database.resetShardExecutions()
            let first = try await harness.push(header("b1"), [roster(hamlets: 3, perTeam: 4)])
            #expect(first.applied && first.members.inserted == 12)
            let second = try await harness.push(header("b2", mode: .delta), [roster(hamlets: 3, perTeam: 4, renamed: [2], leaving: [304])])
            #expect(second.applied && second.hamlets.updated == 1)
            #expect(try await harness.pulledRecords(since: 0).count > 0)
            let executions = try await harness.database.shardExecutions()
            #expect(executions.singleShard > 0)
            #expect(executions.multiShard == 0, "\(executions)")
        }
    }
}
