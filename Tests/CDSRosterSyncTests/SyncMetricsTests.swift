import CDSServer
import CDSTestSupport
import GRPCCore
import Testing

/// The roster sync's metrics on `/metrics`: each call's duration by method and code, and the rows a push applied.
@Suite struct SyncMetricsTests {
    static let push = ["rpc_method": "cds.roster.v1.RosterSync/PushRoster"]

    @Test func callsByMethodAndCodeAndTheRowsApplied() async throws {
        let registry = ServerMetrics.registry
        try await RosterSyncTestCase.run { harness in
            let before = MetricsText(registry.emitToString())
            let applied = try await harness.push(header("metrics-1"), [roster(hamlets: 2, perTeam: 3)])
            #expect(applied.applied && applied.members.inserted == 6)
            #expect(await harness.pushCode(header("metrics-1"), [roster(hamlets: 2, perTeam: 2)]) == .alreadyExists)
            let after = MetricsText(registry.emitToString())

            // Other tests push at the same time in this process: at least this test's calls and rows are there.
            func grew(_ name: String, _ labels: [String: String]) -> Double {
                (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0)
            }
            #expect(grew("grpc_server_call_duration_count", Self.push.merging(["grpc_code": "ok"]) { $1 }) >= 1)
            #expect(grew("grpc_server_call_duration_count", Self.push.merging(["grpc_code": "alreadyExists"]) { $1 }) >= 1)
            #expect(grew("cds_sync_rows_applied_total", ["kind": "member", "change": "inserted"]) >= 6)
            #expect(grew("cds_sync_rows_applied_total", ["kind": "hamlet", "change": "inserted"]) >= 2)
        }
    }
}
