import CDSDatabase
import CDSTestSupport
import Testing

/// 0009_roster_sync.sql: every roster write takes its district's next change number, which a pull orders by.
@Suite struct RosterWatermarkTests {
    static func seqs(_ db: TestDatabase) async throws -> [String: Int] {
        let rows = try await db.superuserRows(
            """
            SELECT 'hamlet ' || tenant_id, change_seq::int FROM cds.hamlets
            UNION ALL SELECT 'team ' || tenant_id, change_seq::int FROM cds.teams
            UNION ALL SELECT 'member ' || tenant_id, change_seq::int FROM cds.members
            UNION ALL SELECT 'watermark ' || tenant_id, value::int FROM cds.roster_watermarks WHERE tenant_id IN (116, 120)
            """,
            as: (String, Int).self
        )
        return Dictionary(rows.map { ($0.0, $0.1) }) { first, _ in first }
    }

    @Test func eachDistrictNumbersItsOwnChangesInOrder() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            // The fixture wrote a hamlet, a team and a member in each district, in that order.
            #expect(
                try await Self.seqs(db) == [
                    "hamlet 116": 1, "team 116": 2, "member 116": 3, "watermark 116": 3,
                    "hamlet 120": 1, "team 120": 2, "member 120": 3, "watermark 120": 3,
                ]
            )
            try await app.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
                try await tx.query("UPDATE cds.members SET trained = true WHERE id = \(fixture.a.memberID)")
                // Nothing but bookkeeping: no new number.
                try await tx.query("UPDATE cds.members SET trained = true, updated_at = now() WHERE id = \(fixture.a.memberID)")
                try await tx.query("UPDATE cds.teams SET name = 'Tổ CNS bản Nà Cang' WHERE id = \(fixture.a.teamID)")
            }
            let after = try await Self.seqs(db)
            #expect(after["member 116"] == 4 && after["team 116"] == 5)
            // The transaction's second number came from a block of two (0012): the counter is past what it used.
            #expect(after["watermark 116"] == 6)
            #expect(after["watermark 120"] == 3)
            // The audit log does not count the number as a change.
            let fields = try await db.superuserRows(
                "SELECT array_to_string(changed_fields, ',') FROM cds.audit_log WHERE action = 'update' ORDER BY id",
                as: String.self
            )
            #expect(fields == ["trained", "name"])
        }
    }

    /// 0012: a bulk write without numbers takes them from doubling blocks of the counter, not a counter update per
    /// row (which walked an ever longer chain of the counter row's versions): every row its own number, in order,
    /// all above the counter's old value and at most the counter's new one, with less than a block left unused.
    @Test func aBulkWriteNumbersEveryRowFromBlocks() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            let rows = 20_000
            let counterWrites = try await app.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
                try await tx.query(
                    """
                    INSERT INTO cds.members (tenant_id, team_id, full_name, gender, role, affiliation, source_system)
                    SELECT 116, \(fixture.a.teamID), 'Lò Văn Bench', 'male', 'member', 'resident', 'bench' FROM generate_series(1, \(rows))
                    """
                )
                // This transaction's writes to the counter row so far: one per block, not one per member.
                return try await tx.rows(
                    "SELECT (n_tup_ins + n_tup_upd)::int FROM pg_stat_xact_user_tables WHERE relid = 'cds.roster_watermarks'::regclass",
                    as: Int.self
                )[0]
            }
            #expect(counterWrites < 100, "\(counterWrites) writes of the counter for \(rows) members")
            let (count, distinct, lowest, highest, watermark) = try await db.superuserRows(
                """
                SELECT count(*)::int, count(DISTINCT change_seq)::int, min(change_seq)::int, max(change_seq)::int,
                       (SELECT value::int FROM cds.roster_watermarks WHERE tenant_id = 116)
                FROM cds.members WHERE tenant_id = 116 AND source_system = 'bench'
                """,
                as: (Int, Int, Int, Int, Int).self
            )[0]
            #expect(count == rows && distinct == rows)
            #expect(lowest == 4 && highest == 3 + rows)
            #expect(watermark >= highest && watermark - highest < 4096)
        }
    }

    /// A push reserves a range under the counter's lock and stamps its rows itself: a stamp above the row's is kept.
    @Test func aStampAboveTheCurrentOneIsKept() async throws {
        try await TestDatabase.withTwoDistricts { db, app, fixture in
            try await app.withTenantScope(.district(120), actor: TwoDistricts.actor) { tx in
                try await tx.query("UPDATE cds.roster_watermarks SET value = value + 10 WHERE tenant_id = 120")
                try await tx.query("UPDATE cds.members SET trained = true, change_seq = 13 WHERE id = \(fixture.b.memberID)")
            }
            let after = try await Self.seqs(db)
            #expect(after["member 120"] == 13 && after["watermark 120"] == 13)
        }
    }

    /// A commune's thousandth hamlet gets four digits: lpad alone would cut it to three, and two hamlets would share a code.
    @Test func hamletCodesKeepEveryDigit() async throws {
        try await TestDatabase.withFresh { db in
            let codes = try await db.superuserRows(
                "SELECT cds.hamlet_code(3646, 7), cds.hamlet_code(3646, 999), cds.hamlet_code(3646, 1234)",
                as: (String, String, String).self
            )
            #expect(codes.map { [$0.0, $0.1, $0.2] } == [["3646-007", "3646-999", "3646-1234"]])
        }
    }
}
