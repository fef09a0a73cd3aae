import CDSCore
import CDSDatabase
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// The tenancy rules on a real Citus cluster, a coordinator and two workers (`ops/citus/cluster`, docs/scale-out.md):
/// every district's rows on one worker, the scope carried to the workers where the policies run, and a district's
/// statements routed to its shard. Runs when `CDS_TEST_CITUS_ENV` names a cluster (``CitusTestCluster``).
@Suite(.enabled(if: CitusTestCluster.current != nil, "CDS_TEST_CITUS_ENV names no Citus cluster"), .serialized)
struct CitusClusterTests {
    static let actor = TwoDistricts.actor

    /// The fixture's member and team in each district.
    struct Fixture {
        struct District {
            let memberID: UUID
            let teamID: UUID
            let memberExternalID: String
        }
        let a: District
        let b: District
    }

    /// The cluster's one database, with ``TwoDistricts`` inserted once.
    static func withTwoDistricts(_ body: (_ application: Database, _ owner: Database, Fixture) async throws -> Void) async throws {
        let cluster = try #require(CitusTestCluster.current)
        try await cluster.withPools { application, owner in
            let present = try await application.withTenantScope(.district(116), actor: actor) { tx in
                try await tx.rows("SELECT count(*)::int FROM cds.members WHERE external_id = 'hr-116-1'", as: Int.self)
            }
            if present == [0] { _ = try await TwoDistricts.insert(into: application) }
            let districts = try await application.withTenantScope(.init([TenantID(116), TenantID(120)]), actor: actor) { tx in
                try await tx.rows(
                    "SELECT id, team_id, external_id FROM cds.members WHERE external_id IN ('hr-116-1', 'hr-120-1') ORDER BY tenant_id",
                    as: (UUID, UUID, String).self
                ).map { Fixture.District(memberID: $0.0, teamID: $0.1, memberExternalID: $0.2) }
            }
            try #require(districts.count == 2)
            try await body(application, owner, Fixture(a: districts[0], b: districts[1]))
        }
    }

    /// Every shard of a tenant table is on a worker, and each district's shards of every table on one worker.
    @Test func everyDistrictSitsOnOneWorker() async throws {
        try await Self.withTwoDistricts { _, owner, _ in
            let placements = try await owner.withTransaction { connection in
                try await connection.query(
                    """
                    SELECT t.tenant_id, p.logicalrelid::text, s.nodeport, n.groupid = 0
                    FROM cds.tenants t
                    CROSS JOIN pg_dist_partition p
                    JOIN citus_shards s ON s.table_name = p.logicalrelid
                        AND s.shardid = get_shard_id_for_distribution_column(p.logicalrelid, t.tenant_id)
                    JOIN pg_dist_node n ON n.nodeport = s.nodeport
                    WHERE p.partmethod = 'h'
                    """,
                    logger: TestDatabase.logger
                ).collect().map { try $0.decode((Int, String, Int, Bool).self) }
            }
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

    /// A scoped transaction reads, returns, updates and deletes only its district's rows, on the workers.
    @Test func aScopedTransactionReachesOnlyItsDistrict() async throws {
        try await Self.withTwoDistricts { application, _, fixture in
            let seen = try await application.withTenantScope(.district(116), actor: Self.actor) { tx in
                (
                    members: try await tx.rows("SELECT DISTINCT tenant_id FROM cds.members", as: Int.self),
                    hamlets: try await tx.rows("SELECT DISTINCT tenant_id FROM cds.hamlets", as: Int.self),
                    byID: try await tx.rows("SELECT tenant_id FROM cds.members WHERE id = \(fixture.b.memberID)", as: Int.self),
                    updated: try await tx.rows(
                        "UPDATE cds.members SET trained = trained WHERE id = \(fixture.b.memberID) RETURNING id",
                        as: UUID.self
                    ),
                    deleted: try await tx.rows("DELETE FROM cds.members WHERE tenant_id = 120 RETURNING id", as: UUID.self),
                    returned: try await tx.rows("UPDATE cds.members SET trained = trained RETURNING tenant_id", as: Int.self)
                )
            }
            #expect(seen.members == [116])
            #expect(seen.hamlets == [116])
            #expect(seen.byID.isEmpty)
            #expect(seen.updated.isEmpty)
            #expect(seen.deleted.isEmpty)
            #expect(Set(seen.returned) == [116])
            let both = try await application.withTenantScope(.init([TenantID(116), TenantID(120)]), actor: Self.actor) { tx in
                try await tx.rows("SELECT count(*)::int FROM cds.members WHERE id IN (\(fixture.a.memberID), \(fixture.b.memberID))", as: Int.self)
            }
            #expect(both == [2])
        }
    }

    /// Inserting, upserting or moving a row into another district is refused on the worker that holds it.
    @Test func writesIntoAnotherDistrictAreRefused() async throws {
        try await Self.withTwoDistricts { application, _, fixture in
            let attempts: [PostgresQuery] = [
                "INSERT INTO cds.hamlets (tenant_id, code, commune_code, name, kind) VALUES (120, '3808-902', 3808, 'Bản Lạ', 'ban')",
                """
                INSERT INTO cds.members (tenant_id, id, team_id, full_name, source_system, external_id)
                VALUES (120, \(UUID()), \(fixture.b.teamID), 'Người Lạ', 'hr', \(fixture.b.memberExternalID))
                ON CONFLICT (tenant_id, source_system, external_id) DO UPDATE SET full_name = excluded.full_name
                """,
                "UPDATE cds.members SET tenant_id = 120 WHERE id = \(fixture.a.memberID)",
            ]
            for attempt in attempts {
                await #expect {
                    try await application.withTenantScope(.district(116), actor: Self.actor) { tx in try await tx.query(attempt) }
                } throws: { $0.sqlState == "42501" || $0.sqlState == "0A000" }
            }
            let names = try await application.withTenantScope(.district(120), actor: Self.actor) { tx in
                try await tx.rows("SELECT full_name FROM cds.members WHERE id = \(fixture.b.memberID)", as: String.self)
            }
            #expect(names == ["Lò Văn Ươn"])
        }
    }

    /// Without a scope, or with a malformed one, nothing is reached and nothing written, on the workers. A write
    /// routed to one shard may fail on the malformed integer instead of the policy: for such a statement Citus
    /// evaluates the policy's function calls on the coordinator one by one, the cast included whatever the CASE
    /// around it says.
    @Test(arguments: ["", "116;120", "116,abc", "-116"])
    func noOrMalformedScopeReachesNothing(_ setting: String) async throws {
        try await Self.withTwoDistricts { application, _, _ in
            let counts = try await application.withTransaction { connection in
                try await connection.query("SELECT cds.enter_scope(\(setting), 'test:fixture', '', 'auto', '')", logger: TestDatabase.logger)
                var counts: [Int] = []
                for table in ["hamlets", "teams", "members", "audit_log"] {
                    let rows = try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM cds.\(table)"),
                        logger: TestDatabase.logger
                    )
                    for try await count in rows.decode(Int.self) { counts.append(count) }
                }
                return counts
            }
            #expect(counts == [0, 0, 0, 0])
            await #expect {
                try await application.withTransaction { connection in
                    try await connection.query("SELECT cds.enter_scope(\(setting), 'test:fixture', '', 'auto', '')", logger: TestDatabase.logger)
                    try await connection.query(
                        "INSERT INTO cds.training_sessions (tenant_id, held_on, topic, mode) VALUES (116, '2023-09-01', 'Dịch vụ công', 'online')",
                        logger: TestDatabase.logger
                    )
                }
            } throws: { $0.sqlState == "42501" || $0.sqlState == "22P02" }
        }
    }

    /// The audit trigger fires on the worker's shard and records the table's name, in the row's district.
    @Test func aWriteOnAWorkerIsAudited() async throws {
        try await Self.withTwoDistricts { application, _, fixture in
            let request = "citus-\(UUID())"
            let actor = AuditActor(kind: "test", name: "citus", requestID: request)
            try await application.withTenantScope(.district(116), actor: actor) { tx in
                try await tx.query("UPDATE cds.members SET trained = NOT trained WHERE id = \(fixture.a.memberID)")
            }
            let entries = try await application.withTenantScope(.init([TenantID(116), TenantID(120)]), actor: actor) { tx in
                try await tx.rows(
                    "SELECT tenant_id, actor, entity, array_to_string(changed_fields, ',') FROM cds.audit_log WHERE request_id = \(request)",
                    as: (Int, String, String, String).self
                )
            }
            #expect(entries.map(\.0) == [116])
            #expect(entries.map(\.1) == ["test:citus"])
            #expect(entries.map(\.2) == ["members"])
            #expect(entries.map(\.3) == ["trained"])
        }
    }

    /// A statement that names its district's tenant_id is routed to that district's shard: one task.
    @Test(arguments: [
        "SELECT id, full_name FROM cds.members WHERE tenant_id = 116 ORDER BY id LIMIT 101",
        "UPDATE cds.members SET trained = true WHERE tenant_id = 116 AND id = '00000000-0000-0000-0000-000000000000'",
        "SELECT id FROM cds.webhook_deliveries WHERE tenant_id = 116 ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED",
    ])
    func aDistrictsStatementIsRoutedToOneShard(_ statement: String) async throws {
        try await Self.withTwoDistricts { application, _, _ in
            let plan = try await application.withTenantScope(.district(116), actor: Self.actor) { tx in
                try await tx.rows(PostgresQuery(unsafeSQL: "EXPLAIN " + statement), as: String.self)
            }
            #expect(plan.contains { $0.contains("Task Count: 1") }, "\(plan.joined(separator: "\n"))")
        }
    }
}
