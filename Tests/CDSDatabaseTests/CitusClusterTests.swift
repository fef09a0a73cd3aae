import CDSDatabase
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// What only a Citus cluster has (`ops/citus/cluster`, docs/scale-out.md): every district's rows on one worker, and a
/// district's statements routed to its shard. The tenancy suites themselves run on the cluster unchanged
/// (`CDS_TEST_CITUS_ENV`, ``CitusTestCluster``); these run only there.
@Suite(.enabled(if: CitusTestCluster.current != nil, "CDS_TEST_CITUS_ENV names no Citus cluster"))
struct CitusClusterTests {
    static let actor = TwoDistricts.actor

    /// Every shard of a tenant table is on a worker, and each district's shards of every table on one worker.
    @Test func everyDistrictSitsOnOneWorker() async throws {
        try await TestDatabase.withTwoDistricts { db, _, _ in
            let placements = try await db.superuserRows(
                """
                SELECT t.tenant_id, p.logicalrelid::text, s.nodeport, n.groupid = 0
                FROM cds.tenants t
                CROSS JOIN pg_dist_partition p
                JOIN citus_shards s ON s.table_name = p.logicalrelid
                    AND s.shardid = get_shard_id_for_distribution_column(p.logicalrelid, t.tenant_id)
                JOIN pg_dist_node n ON n.nodeport = s.nodeport
                WHERE p.partmethod = 'h'
                """,
                as: (Int, String, Int, Bool).self
            )
            let tables = Set(placements.map(\.1))
            #expect(tables.count == 13, "\(tables.sorted())")
            #expect(Set(placements.map(\.0)).count == 12)
            #expect(placements.allSatisfy { !$0.3 }, "a district's shard is on the coordinator")
            for (tenant, rows) in Dictionary(grouping: placements, by: \.0) {
                #expect(Set(rows.map(\.2)).count == 1, "district \(tenant) is spread over \(Set(rows.map(\.2)))")
            }
            #expect(Set(placements.map(\.2)).count == 2, "the districts are not spread over both workers")
        }
    }

    /// A statement that names its district's tenant_id is routed to that district's shard: one task. These are the
    /// shapes of a page, an update and the webhook claim, written here, not taken from the code: the feedback suites
    /// on the cluster are what fail when the claim stops naming its district (Citus then refuses its lock).
    @Test(arguments: [
        "SELECT id, full_name FROM cds.members WHERE tenant_id = 116 ORDER BY id LIMIT 101",
        "UPDATE cds.members SET trained = true WHERE tenant_id = 116 AND id = '00000000-0000-0000-0000-000000000000'",
        "SELECT id FROM cds.webhook_deliveries WHERE tenant_id = 116 ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED",
    ])
    func aDistrictsStatementIsRoutedToOneShard(_ statement: String) async throws {
        try await TestDatabase.withTwoDistricts { _, application, _ in
            let plan = try await application.withTenantScope(.district(116), actor: Self.actor) { tx in
                try await tx.rows(PostgresQuery(unsafeSQL: "EXPLAIN " + statement), as: String.self)
            }
            #expect(plan.contains { $0.contains("Task Count: 1") }, "\(plan.joined(separator: "\n"))")
        }
    }
}
