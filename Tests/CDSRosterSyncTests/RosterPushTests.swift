import CDSCore
import CDSDatabase
import CDSRosterProto
import CDSRosterSync
import CDSTestSupport
import Foundation
import GRPCCore
import PostgresNIO
import Testing

extension RosterSyncTestCase {
    /// One push: the header, then `chunks`.
    func push(_ header: Cds_Roster_V1_PushHeader, _ chunks: [Cds_Roster_V1_RecordChunk]) async throws -> Cds_Roster_V1_PushRosterResponse {
        try await withClient { client in
            try await Cds_Roster_V1_RosterSync.Client(wrapping: client).pushRoster(requestProducer: { writer in
                try await writer.write(.with { $0.header = header })
                for chunk in chunks { try await writer.write(.with { $0.chunk = chunk }) }
            })
        }
    }

    /// The RPC code a push ends with, nil when it succeeds.
    func pushCode(_ header: Cds_Roster_V1_PushHeader, _ chunks: [Cds_Roster_V1_RecordChunk]) async -> RPCError.Code? {
        do {
            _ = try await push(header, chunks)
            return nil
        } catch let error as RPCError {
            return error.code
        } catch {
            return .unknown
        }
    }

    /// One number counted in district 116 by the tests' own SQL.
    func count(_ sql: String) async throws -> Int {
        try await app.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
            try await tx.rows(PostgresQuery(unsafeSQL: sql), as: Int.self)[0]
        }
    }
}

/// A roster of district 116 from a made-up HR system: `hamlets` hamlets in commune 3646, each with its team of
/// `perTeam` members (the first of each team its leader).
func roster(hamlets: Int, perTeam: Int, renamed: Set<Int> = [], leaving: Set<Int> = []) -> Cds_Roster_V1_RecordChunk {
    .with { chunk in
        for h in 1...hamlets {
            chunk.hamlets.append(
                .with {
                    $0.externalID = "h\(h)"
                    $0.communeCode = "3646"
                    $0.name = renamed.contains(h) ? "Bản Mới \(h)" : "Bản \(h)"
                    $0.kind = "ban"
                }
            )
            chunk.teams.append(
                .with {
                    $0.externalID = "t\(h)"
                    $0.level = "hamlet"
                    $0.communeCode = "3646"
                    $0.hamletExternalID = "h\(h)"
                    $0.name = "Tổ công nghệ số bản \(h)"
                    $0.establishedOn = "2023-04-01"
                }
            )
            for m in 1...perTeam where !leaving.contains(h * 100 + m) {
                chunk.members.append(
                    .with {
                        $0.externalID = "m\(h)-\(m)"
                        $0.teamExternalID = "t\(h)"
                        $0.fullName = "Lò Văn \(["An", "Bình", "Cường", "Dũng", "Hùng"][m % 5])"
                        $0.role = m == 1 ? "leader" : "member"
                        $0.phone = "09\(String(format: "%08d", h * 1000 + m))"
                        $0.hasSmartphone_p = true
                    }
                )
            }
        }
    }
}

func header(_ batch: String, mode: Cds_Roster_V1_Mode = .full, onInvalid: Cds_Roster_V1_OnInvalid = .rejectBatch) -> Cds_Roster_V1_PushHeader {
    .with {
        $0.districtCode = "116"
        $0.mode = mode
        $0.batchID = batch
        $0.sourceSystem = "hrm"
        $0.onInvalid = onInvalid
    }
}

@Suite struct RosterPushTests {
    /// A full push, then the same roster with a hamlet renamed and a member left out: counts exact.
    @Test func aFullPushThenAFullRepushWithChanges() async throws {
        try await RosterSyncTestCase.run { harness in
            let first = try await harness.push(header("b1"), [roster(hamlets: 3, perTeam: 4)])
            #expect(first.applied)
            #expect(first.hamlets.inserted == 3 && first.teams.inserted == 3 && first.members.inserted == 12)
            #expect(first.errorCount == 0)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE source_system = 'hrm'") == 12)

            let second = try await harness.push(header("b2"), [roster(hamlets: 3, perTeam: 4, renamed: [2], leaving: [304])])
            #expect(second.applied)
            #expect(second.hamlets.updated == 1 && second.hamlets.unchanged == 2 && second.hamlets.inserted == 0)
            #expect(second.teams.unchanged == 3)
            #expect(second.members.unchanged == 11 && second.members.deactivated == 1)
            #expect(second.watermark > first.watermark)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE source_system = 'hrm' AND left_on IS NULL") == 11)

            // It comes back: reactivated.
            let third = try await harness.push(header("b3"), [roster(hamlets: 3, perTeam: 4, renamed: [2])])
            #expect(third.members.updated == 1 && third.members.unchanged == 11)
            // The same batch again: the stored answer, nothing applied; other content under that id: refused.
            let replay = try await harness.push(header("b3"), [roster(hamlets: 3, perTeam: 4, renamed: [2])])
            #expect(replay == third)
            #expect(await harness.pushCode(header("b3"), [roster(hamlets: 3, perTeam: 3)]) == .alreadyExists)
        }
    }

    /// Every row a push writes takes a change number of its own, the deactivations of every kind included: a pull
    /// pages by these numbers, and two rows sharing one could fall between two pages.
    @Test func everyDeactivationTakesANumberOfItsOwn() async throws {
        try await RosterSyncTestCase.run { harness in
            let first = try await harness.push(header("n1"), [roster(hamlets: 10, perTeam: 4)])
            // Hamlet 10 with its team and its four members left out, and one member of hamlet 1.
            let second = try await harness.push(header("n2"), [roster(hamlets: 9, perTeam: 4, leaving: [102])])
            #expect(second.hamlets.deactivated == 1 && second.teams.deactivated == 1 && second.members.deactivated == 5)
            let numbers = try await harness.count(
                """
                SELECT count(DISTINCT seq)::int FROM (
                    SELECT change_seq AS seq FROM cds.hamlets WHERE source_system = 'hrm' AND change_seq > \(first.watermark)
                    UNION ALL SELECT change_seq FROM cds.teams WHERE source_system = 'hrm' AND change_seq > \(first.watermark)
                    UNION ALL SELECT change_seq FROM cds.members WHERE source_system = 'hrm' AND change_seq > \(first.watermark)) AS written
                """
            )
            #expect(numbers == 7)
            #expect(try await harness.pulledRecords(since: first.watermark).count == 7)
        }
    }

    /// The bytes COPY's text format escapes arrive as sent: a backslash (even one spelling COPY's null, `\N`), and a
    /// tab, which free text turns into a space.
    @Test func textWithCopysSpecialBytesArrivesIntact() async throws {
        try await RosterSyncTestCase.run { harness in
            var chunk = roster(hamlets: 1, perTeam: 1)
            chunk.teams[0].decisionRef = #"Số 12\N/QĐ-UBND"#
            chunk.teams[0].name = "Tổ\tcông nghệ số"
            let response = try await harness.push(header("escapes"), [chunk])
            #expect(response.applied)
            #expect(
                try await harness.count(
                    #"SELECT count(*)::int FROM cds.teams WHERE decision_ref = E'Số 12\\N/QĐ-UBND' AND name = 'Tổ công nghệ số'"#
                ) == 1
            )
        }
    }

    @Test func deltaUpsertsAndTombstones() async throws {
        try await RosterSyncTestCase.run { harness in
            _ = try await harness.push(header("full"), [roster(hamlets: 2, perTeam: 3)])
            var chunk = Cds_Roster_V1_RecordChunk()
            chunk.members.append(
                .with {
                    $0.externalID = "m9"
                    $0.teamExternalID = "t1"
                    $0.fullName = "Cầm Thị Mai"
                    $0.role = "deputy"
                }
            )
            chunk.tombstones.append(
                .with {
                    $0.kind = .member
                    $0.externalID = "m2-3"
                }
            )
            chunk.tombstones.append(
                .with {
                    $0.kind = .team
                    $0.externalID = "t2"
                }
            )
            let delta = try await harness.push(header("d1", mode: .delta), [chunk])
            #expect(delta.applied)
            #expect(delta.members.inserted == 1 && delta.members.deactivated == 1 && delta.teams.deactivated == 1)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.teams WHERE source_system = 'hrm' AND status = 'dissolved'") == 1)
            // Tombstones in a FULL push are a protocol error.
            #expect(await harness.pushCode(header("f2"), [chunk]) == .invalidArgument)
        }
    }

    /// A hamlet that moves to another commune of its district takes its team along, and the pull sends the team's
    /// new commune.
    @Test func aMovedHamletTakesItsTeamAlong() async throws {
        try await RosterSyncTestCase.run { harness in
            let first = try await harness.push(header("full"), [roster(hamlets: 2, perTeam: 2)])
            var chunk = Cds_Roster_V1_RecordChunk()
            chunk.hamlets.append(
                .with {
                    $0.externalID = "h1"
                    $0.communeCode = "3649"
                    $0.name = "Bản 1"
                    $0.kind = "ban"
                }
            )
            let moved = try await harness.push(header("move", mode: .delta), [chunk])
            #expect(moved.applied && moved.hamlets.updated == 1)
            #expect(
                try await harness.count(
                    "SELECT count(*)::int FROM cds.teams WHERE external_id = 't1' AND commune_code = 3649 AND hamlet_code LIKE '3646-%'"
                )
                    == 1
            )
            #expect(try await harness.count("SELECT count(*)::int FROM cds.teams WHERE external_id = 't2' AND commune_code = 3646") == 1)
            #expect(try await harness.pulledRecords(since: first.watermark).sorted() == ["hamlet h1", "team t1"])
        }
    }

    /// FULL leaving out more than a fifth of the source's active records: refused unless allowed.
    @Test func theMassDeactivationGuard() async throws {
        try await RosterSyncTestCase.run { harness in
            _ = try await harness.push(header("a"), [roster(hamlets: 2, perTeam: 5)])
            #expect(await harness.pushCode(header("b"), [roster(hamlets: 1, perTeam: 5)]) == .failedPrecondition)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE source_system = 'hrm' AND left_on IS NULL") == 10)
            var allowed = header("c")
            allowed.allowMassDeactivation = true
            let done = try await harness.push(allowed, [roster(hamlets: 1, perTeam: 5)])
            #expect(done.members.deactivated == 5 && done.teams.deactivated == 1 && done.hamlets.deactivated == 1)
        }
    }

    /// One bad phone and one unknown team: REJECT_BATCH applies nothing and lists both; SKIP_RECORD applies the rest.
    @Test func bothInvalidRecordPolicies() async throws {
        try await RosterSyncTestCase.run { harness in
            var chunk = roster(hamlets: 2, perTeam: 3)
            chunk.members[1].phone = "12345"
            chunk.members.append(
                .with {
                    $0.externalID = "ghost"
                    $0.teamExternalID = "t9"
                    $0.fullName = "Vì Văn Ma"
                }
            )
            let rejected = try await harness.push(header("r"), [chunk])
            #expect(!rejected.applied && rejected.errorCount == 2)
            #expect(rejected.errors.map(\.field) == ["phone", "team_external_id"])
            #expect(rejected.errors.last?.code == "unknown_reference")
            #expect(rejected.errors.map(\.index) == [1, 6])
            #expect(rejected.members.rejected == 2)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE source_system = 'hrm'") == 0)

            let skipped = try await harness.push(header("s", onInvalid: .skipRecord), [chunk])
            #expect(skipped.applied && skipped.members.inserted == 5 && skipped.members.rejected == 2 && skipped.errorCount == 2)
        }
    }

    /// A stream cut half-way leaves nothing; the same batch then goes through.
    @Test func aCancelledStreamLeavesNothing() async throws {
        try await RosterSyncTestCase.run { harness in
            struct Cut: Error {}
            await #expect(throws: (any Error).self) {
                try await harness.withClient { client in
                    try await Cds_Roster_V1_RosterSync.Client(wrapping: client).pushRoster(requestProducer: { writer in
                        try await writer.write(.with { $0.header = header("cut") })
                        try await writer.write(.with { $0.chunk = roster(hamlets: 2, perTeam: 3) })
                        throw Cut()
                    })
                }
            }
            #expect(try await harness.count("SELECT count(*)::int FROM cds.hamlets WHERE source_system = 'hrm'") == 0)
            let done = try await harness.push(header("cut"), [roster(hamlets: 2, perTeam: 3)])
            #expect(done.applied && done.hamlets.inserted == 2)
        }
    }

    /// A client that falls silent mid-push, its connection open (a network that drops everything): the push is given
    /// up after the silence timeout, nothing of it written, and the district's lock freed for the next push.
    /// The client stays silent for an hour, far beyond any bound: only the server can end the push, so the outcome —
    /// DEADLINE_EXCEEDED, nothing written, the district free for the next push — proves it, whatever the machine's load.
    /// (The time limit only keeps a broken build from hanging the suite; it counts the test's database too, which on a
    /// Citus cluster whose every suite starts at once has taken more than two minutes to make.)
    @Test(.timeLimit(.minutes(10)))
    func aPushWhoseClientFallsSilentIsGivenUp() async throws {
        var limits = RosterSyncLimits()
        limits.pushSilenceTimeout = .seconds(1)
        try await RosterSyncTestCase.run(limits: limits) { harness in
            let code: RPCError.Code? = await {
                do {
                    _ = try await harness.withClient { client in
                        try await Cds_Roster_V1_RosterSync.Client(wrapping: client).pushRoster(requestProducer: { writer in
                            try await writer.write(.with { $0.header = header("silent") })
                            try await writer.write(.with { $0.chunk = roster(hamlets: 2, perTeam: 3) })
                            try await Task.sleep(for: .seconds(3600))
                        })
                    }
                    return nil
                } catch {
                    return (error as? RPCError)?.code ?? .unknown
                }
            }()
            #expect(code == .deadlineExceeded)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.hamlets WHERE source_system = 'hrm'") == 0)
            let next = try await harness.push(header("after"), [roster(hamlets: 2, perTeam: 3)])
            #expect(next.applied && next.hamlets.inserted == 2)
        }
    }

    @Test func aPushOutsideTheClientsScopeWritesNothing() async throws {
        try await RosterSyncTestCase.run { harness in
            var foreign = header("x")
            foreign.districtCode = "120"
            #expect(await harness.pushCode(foreign, [roster(hamlets: 1, perTeam: 1)]) == .permissionDenied)
            var bad = header("y")
            bad.sourceSystem = "local"
            #expect(await harness.pushCode(bad, []) == .invalidArgument)
            bad = header("")
            #expect(await harness.pushCode(bad, []) == .invalidArgument)
        }
    }

    /// A client that reaches the district but speaks for another system cannot FULL-push under this one's source
    /// and so deactivate its records: PERMISSION_DENIED, nothing applied.
    @Test func aClientPushesOnlyUnderItsOwnSources() async throws {
        try await RosterSyncTestCase.run { harness in
            #expect(try await harness.push(header("hrm-1"), [roster(hamlets: 2, perTeam: 3)]).applied)
            let plane = ControlPlane(database: harness.app)
            let narrowed = try await plane.setSyncClientSources(name: DevelopmentCertificates.clientName, ["edu"], actor: .operator("test"))
            #expect(narrowed.sources == ["edu"])

            var takeover = header("takeover")
            takeover.allowMassDeactivation = true
            #expect(await harness.pushCode(takeover, []) == .permissionDenied)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE source_system = 'hrm' AND left_on IS NULL") == 6)

            var own = header("edu-1")
            own.sourceSystem = "edu"
            #expect(try await harness.push(own, [roster(hamlets: 1, perTeam: 2)]).applied)
            #expect(try await harness.count("SELECT count(*)::int FROM cds.members WHERE source_system = 'edu'") == 2)
        }
    }

    /// Records per push and the size of a message are limited: the call refused (RESOURCE_EXHAUSTED for too many
    /// records), nothing written.
    @Test func limitsAreEnforced() async throws {
        var limits = RosterSyncLimits()
        limits.maximumRecordsPerPush = 10
        limits.maximumMessageBytes = 4096
        try await RosterSyncTestCase.run(limits: limits) { harness in
            #expect(await harness.pushCode(header("many"), [roster(hamlets: 2, perTeam: 4)]) == .resourceExhausted)
            var large = roster(hamlets: 1, perTeam: 1)
            large.hamlets[0].name = String(repeating: "Bản Rất Dài ", count: 500)
            // The transport refuses a message over the limit by resetting the stream: the call fails, nothing is written.
            let largeCode = await harness.pushCode(header("large"), [large])
            #expect(largeCode == .resourceExhausted || largeCode == .unavailable, "\(String(describing: largeCode))")
            #expect(try await harness.count("SELECT count(*)::int FROM cds.hamlets WHERE source_system = 'hrm'") == 0)
            let fits = try await harness.push(header("fits"), [roster(hamlets: 1, perTeam: 3)])
            #expect(fits.applied)
        }
    }

    /// Two pushes of one roster to one district at once: they take turns (the district's counter is locked), so
    /// one inserts everything and the other finds it unchanged, instead of both inserting and one failing.
    @Test func pushesToOneDistrictSerialise() async throws {
        try await RosterSyncTestCase.run { harness in
            async let first = harness.push(header("one"), [roster(hamlets: 3, perTeam: 5)])
            async let second = harness.push(header("two"), [roster(hamlets: 3, perTeam: 5)])
            let answers = try await [first, second]
            #expect(answers.allSatisfy { $0.applied })
            #expect(answers.map(\.members.inserted).sorted() == [0, 15])
            #expect(answers.map(\.members.unchanged).sorted() == [0, 15])
        }
    }
}
