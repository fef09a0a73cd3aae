import CDSCore
import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

@Suite struct AuditLogTests {
    @Test func everyWriteIsRecordedWithItsActorRequestAndValuesButNoPersonalData() async throws {
        try await TestDatabase.withFresh { db in
            try await db.withPools { app, _ in
                let fixture = try await TwoDistricts.insert(into: app)
                let alice = AuditActor(kind: "user", name: "alice", requestID: "req-42")
                try await app.withTenantScope(.district(116), actor: alice) { tx in
                    try await tx.query("UPDATE cds.members SET phone = '0987654321', role = 'deputy' WHERE id = \(fixture.a.memberID)")
                    try await tx.query("UPDATE cds.members SET phone = '0987654321' WHERE id = \(fixture.a.memberID)")  // no change
                    try await tx.query("DELETE FROM cds.members WHERE id = \(fixture.a.memberID)")
                }
                let entries = try await db.superuserRows(
                    """
                    SELECT actor, coalesce(request_id, ''), action, entity, entity_key, coalesce(array_to_string(changed_fields, ','), ''),
                           coalesce(before::text, ''), coalesce(after::text, '')
                    FROM cds.audit_log WHERE tenant_id = 116 ORDER BY id
                    """,
                    as: (String, String, String, String, String, String, String, String).self
                )
                #expect(entries.map(\.2) == ["insert", "insert", "insert", "update", "delete"])
                #expect(entries.map(\.3) == ["hamlets", "teams", "members", "members", "members"])
                let update = entries[3]
                #expect(update.0 == "user:alice")
                #expect(update.1 == "req-42")
                #expect(update.4 == fixture.a.memberID.uuidString.lowercased())
                #expect(update.5 == "phone,role")
                #expect(update.6 == #"{"role": "leader", "phone": "redacted"}"#)
                #expect(update.7 == #"{"role": "deputy", "phone": "redacted"}"#)
                #expect(entries[4].6.contains(#""full_name": "Lò Văn Ươn""#))
                #expect(entries[2].7.contains(#""full_name": "Lò Văn Ươn""#) && entries[2].6.isEmpty)
                let everything = entries.map { "\($0)" }.joined()
                #expect(!everything.contains("0987654321"))
                #expect(!everything.contains("0912345678"))
            }
        }
    }

    /// A read of personal data is one entry per district, naming the request (actor and request id, read once for
    /// the whole statement, route and filters) and listing the rows it returned; an entry of several rows names
    /// none in `entity_key`, one of a single row names it there too.
    @Test func aPersonalDataReadIsOneEntryPerDistrictListingItsRows() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            let alice = AuditActor(kind: "user", name: "alice", requestID: "req-7")
            let a = fixture.a.memberID.uuidString.lowercased()
            let b = fixture.b.memberID.uuidString.lowercased()
            try await app.withTenantScope(.init([TenantID(116), TenantID(120)]), actor: alice) { tx in
                try await tx.recordPersonalDataRead(
                    PersonalDataRead(
                        entity: "members",
                        route: "GET /v1/members",
                        filters: ["q": "lo van", "limit": "100"],
                        subjects: [(TenantID(116), a), (TenantID(116), "second-key"), (TenantID(120), b)]
                    )
                )
            }
            let reads = try await db.superuserRows(
                """
                SELECT tenant_id, actor, request_id, entity, coalesce(entity_key, '-'), route, filters::text, array_to_string(subjects, ',')
                FROM cds.audit_log WHERE action = 'read_personal' ORDER BY tenant_id
                """,
                as: (Int, String, String, String, String, String, String, String).self
            )
            #expect(reads.map(\.0) == [116, 120])
            #expect(reads.allSatisfy { $0.1 == "user:alice" && $0.2 == "req-7" && $0.3 == "members" && $0.5 == "GET /v1/members" })
            #expect(reads.map(\.6) == [#"{"q": "lo van", "limit": "100"}"#, #"{"q": "lo van", "limit": "100"}"#])
            #expect(reads.map(\.7) == ["\(a),second-key", b])
            #expect(reads.map(\.4) == ["-", b])
        }
    }

    /// The scope, actor and request id are bound parameters, which `cds.enter_scope` quotes into its `SET LOCAL`
    /// commands: whatever they hold arrives as it was, and nothing in them runs.
    @Test func theActorAndRequestIdArriveVerbatim() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            let request = #"r'1\'; DROP TABLE cds.members; --\"#
            let actor = AuditActor(kind: "user", name: #"o'brien\x"#, requestID: request)
            try await app.withTenantScope(.district(116), actor: actor) { tx in
                try await tx.query("UPDATE cds.members SET trained = true WHERE id = \(fixture.a.memberID)")
            }
            let entries = try await db.superuserRows(
                "SELECT actor, request_id FROM cds.audit_log WHERE action = 'update'",
                as: (String, String).self
            )
            #expect(entries.map(\.0) == [#"user:o'brien\x"#])
            #expect(entries.map(\.1) == [request])
            #expect(try await db.superuserRows("SELECT count(*)::int FROM cds.members", as: Int.self) == [2])
        }
    }

    /// Triggers are per statement: a statement over many rows records one entry per row it changed, each in its district.
    @Test func oneStatementOverManyRowsRecordsEachRow() async throws {
        try await TestDatabase.withTwoDistricts { db, app, _ in
            try await app.withTenantScope(.init([TenantID(116), TenantID(120)]), actor: AuditActor(kind: "sync", name: "hr")) { tx in
                try await tx.query("UPDATE cds.members SET trained = true, updated_at = now()")
                try await tx.query("UPDATE cds.members SET trained = true")  // changes nothing
                try await tx.query("INSERT INTO cds.principals (kind, name, home_unit_code) VALUES ('staff', 'alice', 14)")
            }
            let updates = try await db.superuserRows(
                "SELECT tenant_id, actor, array_to_string(changed_fields, ',') FROM cds.audit_log WHERE action = 'update' ORDER BY tenant_id",
                as: (Int, String, String).self
            )
            #expect(updates.map(\.0) == [116, 120])
            #expect(updates.allSatisfy { $0.1 == "sync:hr" && $0.2 == "trained" })
            let control = try await db.superuserRows("SELECT actor, action, entity FROM cds.control_audit_log", as: (String, String, String).self)
            #expect(control.map(\.2) == ["principals"])
            #expect(control.map(\.1) == ["insert"])
        }
    }

    @Test func readsOfPersonalDataAreRecordedInTheirDistrictOnly() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            try await app.withTenantScope(.district(116), actor: AuditActor(kind: "user", name: "bob")) { tx in
                try await tx.recordPersonalDataRead(
                    PersonalDataRead(entity: "members", route: "test", subjects: [(TenantID(116), fixture.a.memberID.uuidString)])
                )
            }
            await #expect {
                try await app.withTenantScope(.district(116), actor: AuditActor(kind: "user", name: "bob")) { tx in
                    try await tx.recordPersonalDataRead(
                        PersonalDataRead(entity: "members", route: "test", subjects: [(TenantID(120), fixture.b.memberID.uuidString)])
                    )
                }
            } throws: { $0.sqlState == "42501" }
            let reads = try await db.superuserRows(
                "SELECT tenant_id, actor FROM cds.audit_log WHERE action = 'read_personal'",
                as: (Int, String).self
            )
            #expect(reads.map(\.0) == [116])
            #expect(reads.map(\.1) == ["user:bob"])
        }
    }

    @Test func theAuditLogIsAppendOnly() async throws {
        try await TestDatabase.withFresh { db in
            try await db.withPools { app, owner in
                _ = try await TwoDistricts.insert(into: app)
                for database in [app, owner] {
                    await #expect {
                        try await database.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
                            try await tx.query("DELETE FROM cds.audit_log")
                        }
                    } throws: { $0.sqlState == "42501" }
                    await #expect {
                        try await database.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
                            try await tx.query("UPDATE cds.audit_log SET actor = 'nobody'")
                        }
                    } throws: { $0.sqlState == "42501" }
                }
                let count = try await db.superuserRows("SELECT count(*)::int FROM cds.audit_log", as: Int.self)
                #expect(count == [6])
            }
        }
    }

    @Test func writesWithoutAnActorAreRefused() async throws {
        try await TestDatabase.withFresh { db in
            try await db.withPools { app, _ in
                await #expect {
                    try await app.withTransaction { connection in
                        try await connection.query("SELECT set_config('cds.tenant_ids', '116', true)", logger: TestDatabase.logger)
                        try await connection.query(
                            "INSERT INTO cds.training_sessions (tenant_id, held_on, topic, mode) VALUES (116, '2023-09-01', 'Dịch vụ công', 'online')",
                            logger: TestDatabase.logger
                        )
                    }
                } throws: { $0.sqlState == "42501" }
                let count = try await db.superuserRows("SELECT count(*)::int FROM cds.training_sessions", as: Int.self)
                #expect(count == [0])
            }
        }
    }
}
