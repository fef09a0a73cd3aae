import CDSDatabase
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// Tenancy rules 2, 3 and 8 (docs/tenancy.md), as `cds_app`: a transaction scoped to district A cannot read, write,
/// upsert, return or move rows of district B, and no scope reaches nothing.
@Suite struct TenantIsolationTests {
    static let actor = TwoDistricts.actor

    @Test func selectSeesOnlyTheScopedDistrict() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            let seen = try await app.withTenantScope(.district(fixture.a.tenant), actor: Self.actor) { tx in
                (
                    hamlets: try await tx.rows("SELECT tenant_id FROM cds.hamlets", as: Int.self),
                    teams: try await tx.rows("SELECT tenant_id FROM cds.teams", as: Int.self),
                    members: try await tx.rows("SELECT tenant_id FROM cds.members", as: Int.self),
                    byID: try await tx.rows("SELECT tenant_id FROM cds.members WHERE id = \(fixture.b.memberID)", as: Int.self),
                    tree: try await tx.rows("SELECT district_code FROM cds.unit_tree WHERE level = 'hamlet'", as: Int.self)
                )
            }
            #expect(seen.hamlets == [116])
            #expect(seen.teams == [116])
            #expect(seen.members == [116])
            #expect(seen.byID.isEmpty)
            #expect(seen.tree == [116])

            let both = try await app.withTenantScope(.init([.init(116), .init(120)]), actor: Self.actor) { tx in
                try await tx.rows("SELECT tenant_id FROM cds.members ORDER BY tenant_id", as: Int.self)
            }
            #expect(both == [116, 120])
        }
    }

    @Test func updateAndDeleteCannotReachAnotherDistrict() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            let (updated, deleted) = try await app.withTenantScope(.district(fixture.a.tenant), actor: Self.actor) { tx in
                let updated = try await tx.rows(
                    "UPDATE cds.members SET full_name = 'Người Lạ' WHERE id = \(fixture.b.memberID) RETURNING id",
                    as: UUID.self
                )
                let deleted = try await tx.rows("DELETE FROM cds.members WHERE tenant_id = 120 RETURNING id", as: UUID.self)
                return (updated, deleted)
            }
            #expect(updated.isEmpty)
            #expect(deleted.isEmpty)
            let names = try await db.superuserRows("SELECT full_name FROM cds.members WHERE tenant_id = 120", as: String.self)
            #expect(names == ["Lò Văn Ươn"])
        }
    }

    @Test func returningShowsOnlyTheScopedDistrictsRows() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            let returned = try await app.withTenantScope(.district(fixture.a.tenant), actor: Self.actor) { tx in
                try await tx.rows("UPDATE cds.members SET trained = true RETURNING tenant_id, id", as: (Int, UUID).self)
            }
            #expect(returned.map(\.0) == [116])
            #expect(returned.map(\.1) == [fixture.a.memberID])
            let trained = try await db.superuserRows("SELECT trained FROM cds.members WHERE tenant_id = 120", as: Bool.self)
            #expect(trained == [false])
        }
    }

    @Test func insertIntoAnotherDistrictIsRefused() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            await #expect {
                try await app.withTenantScope(.district(fixture.a.tenant), actor: Self.actor) { tx in
                    try await tx.query(
                        """
                        INSERT INTO cds.hamlets (tenant_id, code, commune_code, name, kind)
                        VALUES (120, '3808-002', 3808, 'Bản Lạ', 'ban')
                        """
                    )
                }
            } throws: { $0.sqlState == "42501" }
            let count = try await db.superuserRows("SELECT count(*)::int FROM cds.hamlets WHERE tenant_id = 120", as: Int.self)
            #expect(count == [1])
        }
    }

    @Test func upsertCannotTouchAnotherDistrictsRow() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            // Aimed at B's key: refused, B's row untouched.
            await #expect {
                try await app.withTenantScope(.district(fixture.a.tenant), actor: Self.actor) { tx in
                    try await tx.query(
                        """
                        INSERT INTO cds.members (tenant_id, id, team_id, full_name, source_system, external_id)
                        VALUES (120, \(UUID()), \(fixture.b.teamID), 'Người Lạ', 'hr', \(fixture.b.memberExternalID))
                        ON CONFLICT (tenant_id, source_system, external_id) DO UPDATE SET full_name = excluded.full_name
                        """
                    )
                }
            } throws: { $0.sqlState == "42501" }
            // The same external id in A is A's own key: no conflict with B, nothing of B revealed.
            let inserted = try await app.withTenantScope(.district(fixture.a.tenant), actor: Self.actor) { tx in
                try await tx.rows(
                    """
                    INSERT INTO cds.members (tenant_id, team_id, full_name, source_system, external_id)
                    VALUES (116, \(fixture.a.teamID), 'Cầm Thị Ín', 'hr', \(fixture.b.memberExternalID))
                    ON CONFLICT (tenant_id, source_system, external_id) DO UPDATE SET full_name = excluded.full_name
                    RETURNING tenant_id
                    """,
                    as: Int.self
                )
            }
            #expect(inserted == [116])
            let names = try await db.superuserRows("SELECT full_name FROM cds.members WHERE tenant_id = 120", as: String.self)
            #expect(names == ["Lò Văn Ươn"])
        }
    }

    /// Refused by the policy's check; on a Citus cluster already by Citus, which never changes a row's distribution
    /// column ("modifying the partition value of rows is not allowed").
    @Test func aRowCannotMoveToAnotherDistrict() async throws {
        let refusal = CitusTestCluster.current == nil ? "42501" : "0A000"
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            await #expect {
                try await app.withTenantScope(.district(fixture.a.tenant), actor: Self.actor) { tx in
                    try await tx.query("UPDATE cds.training_sessions SET tenant_id = 120")
                    try await tx.query(
                        "INSERT INTO cds.training_sessions (tenant_id, held_on, topic, mode) VALUES (116, '2023-09-01', 'Dịch vụ công', 'online')"
                    )
                    try await tx.query("UPDATE cds.training_sessions SET tenant_id = 120")
                }
            } throws: { $0.sqlState == refusal }
            let moved = try await db.superuserRows("SELECT count(*)::int FROM cds.training_sessions", as: Int.self)
            #expect(moved == [0])
        }
    }

    /// Rule 3: a transaction without a scope, or with an empty or malformed one, reaches no row and writes nothing.
    @Test(arguments: [nil, "", " ", "116;120", "116, 120", "116,abc", "abc", ",", "116,", "99999999999", "-116"])
    func noOrMalformedScopeReachesNothing(_ setting: String?) async throws {
        try await TestDatabase.withFresh { db in
            try await db.withPools { app, _ in
                _ = try await TwoDistricts.insert(into: app)
                // As the server sets a scope (cds.enter_scope), with the setting in place of its validated ids; nil:
                // no scope set at all in the transaction.
                let scope: PostgresQuery = "SELECT cds.enter_scope(\(setting), 'test:fixture', '', 'auto', '')"
                let counts = try await app.withTransaction { connection in
                    if setting != nil { try await connection.query(scope, logger: TestDatabase.logger) }
                    var counts: [Int] = []
                    for table in ["hamlets", "teams", "members", "training_sessions", "training_attendance", "guidance_activities", "audit_log"] {
                        let rows = try await connection.query(
                            PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM cds.\(table)"),
                            logger: TestDatabase.logger
                        )
                        for try await count in rows.decode(Int.self) { counts.append(count) }
                    }
                    return counts
                }
                #expect(counts == [0, 0, 0, 0, 0, 0, 0])

                await #expect {
                    try await app.withTransaction { connection in
                        if setting != nil { try await connection.query(scope, logger: TestDatabase.logger) }
                        try await connection.query(
                            "INSERT INTO cds.training_sessions (tenant_id, held_on, topic, mode) VALUES (116, '2023-09-01', 'Dịch vụ công', 'online')",
                            logger: TestDatabase.logger
                        )
                    }
                } throws: { $0.sqlState == "42501" }
            }
        }
    }

    /// Rule 3: the scope is transaction-local; the next transaction on the same pooled connection has none.
    @Test func theScopeEndsWithItsTransaction() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                _ = try await TwoDistricts.insert(into: app)
                for _ in 0..<5 {
                    let inScope = try await app.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
                        try await tx.rows("SELECT count(*)::int FROM cds.members", as: Int.self)
                    }
                    let after = try await app.withTransaction { connection in
                        var settings: [String?] = []
                        for try await value in try await connection.query(
                            "SELECT current_setting('cds.tenant_ids', true)",
                            logger: TestDatabase.logger
                        ).decode(String?.self) { settings.append(value) }
                        return settings
                    }
                    #expect(inScope == [1])
                    #expect(after.allSatisfy { $0 == nil || $0 == "" })
                }
            }
        }
    }

    /// Rule 5: unique keys and foreign keys answer the same for B's rows as for rows that do not exist.
    @Test func keysDoNotRevealAnotherDistrictsRows() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            func insertMember(teamID: UUID) async throws {
                try await app.withTenantScope(.district(fixture.a.tenant), actor: Self.actor) { tx in
                    try await tx.query(
                        "INSERT INTO cds.members (tenant_id, team_id, full_name) VALUES (116, \(teamID), 'Quàng Văn Pọm')"
                    )
                }
            }
            var errors: [String?] = []
            for teamID in [fixture.b.teamID, UUID()] {
                do {
                    try await insertMember(teamID: teamID)
                    errors.append("inserted")
                } catch {
                    errors.append(error.sqlState)
                }
            }
            #expect(errors == ["23503", "23503"])

            // B's hamlet code, used in A: A's own key space, so no unique violation tells B's code apart.
            let inserted = try await app.withTenantScope(.district(fixture.a.tenant), actor: Self.actor) { tx in
                try await tx.rows(
                    """
                    INSERT INTO cds.hamlets (tenant_id, code, commune_code, name, kind, source_system, external_id)
                    VALUES (116, \(fixture.b.hamletCode), 3646, 'Tổ dân phố 9', 'to_dan_pho', 'hr', \(fixture.b.hamletCode))
                    RETURNING code
                    """,
                    as: String.self
                )
            }
            #expect(inserted == [fixture.b.hamletCode])
        }
    }
}
