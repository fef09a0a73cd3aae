import CDSDatabase
import CDSRosterProto
import CDSRosterSync
import CDSTestSupport
import PostgresNIO
import Testing

extension RosterSyncTestCase {
    /// The kind and external id of every change a pull since `since` sends, in order.
    func pulledRecords(since: Int64) async throws -> [String] {
        try await pull(since: since).flatMap(\.changes).map { change in
            switch change.record {
            case .hamlet(let hamlet): "hamlet \(hamlet.externalID)"
            case .team(let team): "team \(team.externalID)"
            case .member(let member): "member \(member.externalID)"
            case .tombstone(let tombstone): "gone \(tombstone.externalID)"
            case nil: "nothing"
            }
        }
    }

    /// How many synced rows of district 116 hold no digest.
    func rowsWithoutDigest() async throws -> Int {
        try await count(
            """
            SELECT ((SELECT count(*) FROM cds.hamlets WHERE source_system = 'hrm' AND source_digest IS NULL)
                  + (SELECT count(*) FROM cds.teams WHERE source_system = 'hrm' AND source_digest IS NULL)
                  + (SELECT count(*) FROM cds.members WHERE source_system = 'hrm' AND source_digest IS NULL))::int
            """
        )
    }

    /// The audit log's entries about hamlets, teams and members.
    func registryAuditEntries() async throws -> Int {
        try await count("SELECT count(*)::int FROM cds.audit_log WHERE entity IN ('hamlets', 'teams', 'members')")
    }

    /// A member's name changed as the superuser with every trigger off: behind the server's back, its digest kept.
    func renameBehindTheServersBack(_ externalID: String, to name: String) async throws {
        _ = try await database.superuserRows(
            """
            DO $$ BEGIN
                SET LOCAL session_replication_role = replica;
                UPDATE cds.members SET full_name = '\(unescaped: name)' WHERE source_system = 'hrm' AND external_id = '\(unescaped: externalID)';
            END $$
            """,
            as: Int.self
        )
    }
}

/// The nightly FULL push re-sends a whole district: what the registry holds exactly as sent is passed over by its
/// digest — neither checked nor written again, no new change number, no audit entry — and only what changed is.
@Suite struct UnchangedRecordsTests {
    @Test func aRepushWritesOnlyWhatChangedAndAPullSendsExactlyThat() async throws {
        try await RosterSyncTestCase.run { harness in
            let first = try await harness.push(header("night-1"), [roster(hamlets: 3, perTeam: 4)])
            #expect(first.applied && first.members.inserted == 12)
            #expect(try await harness.rowsWithoutDigest() == 0)
            let auditBefore = try await harness.registryAuditEntries()

            let second = try await harness.push(header("night-2"), [roster(hamlets: 3, perTeam: 4, renamed: [2], leaving: [304])])
            #expect(second.applied)
            #expect(second.hamlets.updated == 1 && second.hamlets.unchanged == 2)
            #expect(second.teams.unchanged == 3 && second.teams.updated == 0)
            #expect(second.members.unchanged == 11 && second.members.updated == 0 && second.members.deactivated == 1)
            // The renamed hamlet and the member left out, nothing else: in the registry's history and in a pull.
            #expect(try await harness.registryAuditEntries() == auditBefore + 2)
            #expect(try await harness.pulledRecords(since: first.watermark) == ["hamlet h2", "gone m3-4"])
            // The member left out keeps no digest: it named what the source sent for an active row.
            #expect(try await harness.rowsWithoutDigest() == 1)

            // The same roster once more changes nothing at all.
            let third = try await harness.push(header("night-3"), [roster(hamlets: 3, perTeam: 4, renamed: [2], leaving: [304])])
            #expect(third.hamlets.unchanged == 3 && third.teams.unchanged == 3 && third.members.unchanged == 11)
            #expect(third.members.deactivated == 0)
            #expect(try await harness.pulledRecords(since: second.watermark) == [])
        }
    }

    /// A write by anyone but a push that changes a synced row clears its digest, even one that sets the digest it
    /// found: the next push compares that record field by field, and puts back what its source sent.
    @Test func aRowChangedByAnotherWriterIsComparedAgain() async throws {
        try await RosterSyncTestCase.run { harness in
            let first = try await harness.push(header("b1"), [roster(hamlets: 1, perTeam: 3)])
            try await harness.app.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
                try await tx.query(
                    "UPDATE cds.members SET full_name = 'Quàng Thị Sửa', source_digest = source_digest WHERE external_id = 'm1-2'"
                )
            }
            #expect(try await harness.rowsWithoutDigest() == 1)
            let second = try await harness.push(header("b2"), [roster(hamlets: 1, perTeam: 3)])
            #expect(second.members.updated == 1 && second.members.unchanged == 2)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE external_id = 'm1-2' AND full_name = 'Lò Văn Cường'") == 1)
            #expect(try await harness.rowsWithoutDigest() == 0)
            #expect(second.watermark > first.watermark)
        }
    }

    /// A FULL push looks for what it leaves out among the rows whose digest it did not see again and the rows
    /// without one: a row another writer changed (its digest cleared) and the push leaves out is deactivated too.
    @Test func aLeftOutRowWithoutDigestIsDeactivated() async throws {
        try await RosterSyncTestCase.run { harness in
            _ = try await harness.push(header("b1"), [roster(hamlets: 1, perTeam: 10)])
            try await harness.app.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
                try await tx.query("UPDATE cds.members SET full_name = 'Quàng Thị Sửa' WHERE external_id = 'm1-2'")
            }
            #expect(try await harness.rowsWithoutDigest() == 1)
            let second = try await harness.push(header("b2"), [roster(hamlets: 1, perTeam: 10, leaving: [102, 103])])
            #expect(second.applied && second.members.deactivated == 2 && second.members.unchanged == 8)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE source_system = 'hrm' AND left_on IS NULL") == 8)
        }
    }

    /// A row without a digest whose content is what the push sends (written before digests) gets its digest with
    /// no new change number and no audit entry: it is not a change of the registry.
    @Test func aMissingDigestIsStoredWithoutAChange() async throws {
        try await RosterSyncTestCase.run { harness in
            let first = try await harness.push(header("b1"), [roster(hamlets: 2, perTeam: 2)])
            try await harness.app.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
                try await tx.query("UPDATE cds.members SET source_digest = NULL WHERE source_system = 'hrm'")
            }
            #expect(try await harness.rowsWithoutDigest() == 4)
            let auditBefore = try await harness.registryAuditEntries()
            let second = try await harness.push(header("b2"), [roster(hamlets: 2, perTeam: 2)])
            #expect(second.members.updated == 0 && second.members.unchanged == 4)
            #expect(try await harness.rowsWithoutDigest() == 0)
            #expect(try await harness.registryAuditEntries() == auditBefore)
            #expect(try await harness.pulledRecords(since: first.watermark) == [])
        }
    }

    /// A row changed behind the server's back keeps its digest, so the push passes over it; a server that compares
    /// every record (CDS_GRPC_PUSH_SKIP_UNCHANGED=false) finds the difference and puts back what the source sent.
    @Test func skippingOffComparesEveryRecord() async throws {
        try await RosterSyncTestCase.run { harness in
            _ = try await harness.push(header("b1"), [roster(hamlets: 1, perTeam: 3)])
            try await harness.renameBehindTheServersBack("m1-2", to: "Tampered")
            let skipping = try await harness.push(header("b2"), [roster(hamlets: 1, perTeam: 3)])
            #expect(skipping.members.unchanged == 3 && skipping.members.updated == 0)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE full_name = 'Tampered'") == 1)
        }
        var limits = RosterSyncLimits()
        limits.skipsUnchangedRecords = false
        try await RosterSyncTestCase.run(limits: limits) { harness in
            _ = try await harness.push(header("b1"), [roster(hamlets: 1, perTeam: 3)])
            try await harness.renameBehindTheServersBack("m1-2", to: "Tampered")
            let comparing = try await harness.push(header("b2"), [roster(hamlets: 1, perTeam: 3)])
            #expect(comparing.members.unchanged == 2 && comparing.members.updated == 1)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE full_name = 'Tampered'") == 0)
        }
    }

    /// An external id sent twice is refused the second time, whether the first was passed over or not.
    @Test func aRecordSentTwiceIsRefusedEvenWhenUnchanged() async throws {
        try await RosterSyncTestCase.run { harness in
            _ = try await harness.push(header("b1"), [roster(hamlets: 1, perTeam: 3)])
            var twice = roster(hamlets: 1, perTeam: 3)
            twice.members.append(twice.members[1])
            var changedSecond = roster(hamlets: 1, perTeam: 3)
            var changed = changedSecond.members[1]
            changed.fullName = "Lò Văn Khác"
            changedSecond.members.append(changed)
            var changedFirst = roster(hamlets: 1, perTeam: 3)
            changedFirst.members.append(changedFirst.members[1])
            changedFirst.members[1].fullName = "Lò Văn Khác"
            for (batch, chunk) in [("same-twice", twice), ("changed-second", changedSecond), ("changed-first", changedFirst)] {
                let response = try await harness.push(header(batch), [chunk])
                #expect(!response.applied, "\(batch)")
                #expect(response.errors.map(\.code) == ["duplicate_in_batch"], "\(batch)")
                #expect(response.errors.first?.index == 3, "\(batch)")
            }
        }
    }

    /// When the changed copy of a record comes first, it is the one merged and the unchanged copy after it is
    /// refused, as when both are staged.
    @Test func theFirstOfAChangedAndAnUnchangedCopyCounts() async throws {
        try await RosterSyncTestCase.run { harness in
            _ = try await harness.push(header("b1"), [roster(hamlets: 1, perTeam: 3)])
            var chunk = roster(hamlets: 1, perTeam: 3)
            chunk.members.append(chunk.members[1])
            chunk.members[1].fullName = "Lò Văn Khác"
            let response = try await harness.push(header("b2", onInvalid: .skipRecord), [chunk])
            #expect(response.applied)
            #expect(response.errors.map(\.index) == [3] && response.errors.map(\.code) == ["duplicate_in_batch"])
            #expect(response.members.updated == 1 && response.members.unchanged == 2 && response.members.rejected == 1)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE full_name = 'Lò Văn Khác'") == 1)
        }
    }

    /// A new leader for a team whose leader is passed over unchanged is refused: the team keeps one leader.
    @Test func aNewLeaderCannotDisplaceAnUnchangedOne() async throws {
        try await RosterSyncTestCase.run { harness in
            _ = try await harness.push(header("b1"), [roster(hamlets: 1, perTeam: 3)])
            var chunk = roster(hamlets: 1, perTeam: 3)
            chunk.members[2].role = "leader"
            let response = try await harness.push(header("b2", onInvalid: .skipRecord), [chunk])
            #expect(response.applied)
            #expect(response.errors.map(\.externalID) == ["m1-3"] && response.errors.map(\.code) == ["team_has_leader"])
            #expect(response.members.unchanged == 2 && response.members.updated == 0)
            #expect(
                try await harness.count("SELECT count(*)::int FROM cds.members WHERE source_system = 'hrm' AND role = 'leader' AND left_on IS NULL")
                    == 1
            )
        }
    }

    /// A new team for the unit of a team passed over unchanged is refused, wherever it stands in the push: what the
    /// registry holds and the source still sends keeps its place.
    @Test func aNewTeamCannotTakeTheUnitOfAnUnchangedOne() async throws {
        try await RosterSyncTestCase.run { harness in
            _ = try await harness.push(header("b1"), [roster(hamlets: 1, perTeam: 2)])
            var chunk = roster(hamlets: 1, perTeam: 2)
            var rival = chunk.teams[0]
            rival.externalID = "t-rival"
            chunk.teams.insert(rival, at: 0)
            let response = try await harness.push(header("b2", onInvalid: .skipRecord), [chunk])
            #expect(response.applied)
            #expect(response.errors.map(\.externalID) == ["t-rival"] && response.errors.map(\.code) == ["unit_has_team"])
            #expect(response.teams.unchanged == 1 && response.teams.inserted == 0)
        }
    }
}
