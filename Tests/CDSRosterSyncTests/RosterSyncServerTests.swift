import CDSCore
import CDSDatabase
import CDSRosterProto
import CDSRosterSync
import CDSTestSupport
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing

@Suite struct RosterSyncServerTests {
    @Test func theHealthServiceAnswers() async throws {
        try await RosterSyncTestCase.run { harness in
            try await harness.withClient { client in
                let health = Grpc_Health_V1_Health.Client(wrapping: client)
                let server = try await health.check(.with { $0.service = "" })
                let sync = try await health.check(.with { $0.service = "cds.roster.v1.RosterSync" })
                #expect(server.status == .serving && sync.status == .serving)
                await #expect(throws: RPCError.self) { try await health.check(.with { $0.service = "nope" }) }
            }
        }
    }

    /// Everything of a district since 0, in change order, page by page, ending with the district's watermark; then
    /// nothing more since that watermark, and the next change alone after a write.
    @Test func aPullSendsEveryChangeInOrderAndResumes() async throws {
        try await RosterSyncTestCase.run { harness in
            let pages = try await harness.pull(since: 0, pageSize: 2)
            #expect(pages.map(\.changes.count) == [2, 1, 0])
            #expect(pages.map(\.watermark) == [2, 3, 3])
            let changes = pages.flatMap(\.changes)
            #expect(changes.map(\.watermark) == [1, 2, 3])
            guard case .hamlet(let hamlet) = changes[0].record, case .team(let team) = changes[1].record,
                case .member(let member) = changes[2].record
            else {
                Issue.record("not a hamlet, a team and a member: \(changes)")
                return
            }
            #expect(hamlet.code == harness.fixture.a.hamletCode && hamlet.externalID == harness.fixture.a.hamletCode)
            #expect(team.hamletExternalID == harness.fixture.a.hamletCode && team.externalID == "team-116")
            #expect(member.externalID == harness.fixture.a.memberExternalID && member.teamExternalID == "team-116")
            #expect(member.phone == "0912345678" && member.role == "leader")
            #expect(changes.allSatisfy { $0.sourceSystem == "hr" })
            // The pull handed a member's personal data to the client: one audit entry lists the members it sent.
            let reads = try await harness.app.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
                try await tx.rows(
                    "SELECT actor, route, filters ->> 'watermark', array_to_string(subjects, ',') FROM cds.audit_log WHERE action = 'read_personal'",
                    as: (String, String, String, String).self
                )
            }
            #expect(reads.count == 1)
            #expect(reads.first?.1 == "cds.roster.v1.RosterSync/PullRoster" && reads.first?.2 == "3")
            #expect(reads.first?.3 == harness.fixture.a.memberID.uuidString.lowercased())
            #expect(reads.first?.0.hasPrefix("sync:") == true)

            #expect(try await harness.pull(since: 3, pageSize: 0).map(\.changes.count) == [0])
            try await harness.app.withTenantScope(.district(116), actor: TwoDistricts.actor) { tx in
                try await tx.query("UPDATE cds.members SET left_on = '2024-06-30' WHERE id = \(harness.fixture.a.memberID)")
            }
            let after = try await harness.pull(since: 3, pageSize: 0).flatMap(\.changes)
            guard case .tombstone(let tombstone) = after.first?.record else {
                Issue.record("no tombstone: \(after)")
                return
            }
            #expect(after.count == 1 && tombstone.kind == .member && tombstone.externalID == harness.fixture.a.memberExternalID)
        }
    }

    /// The development client reaches 116 only: 120 is refused, and bad arguments are said.
    @Test func aDistrictOutsideTheClientsScopeIsRefused() async throws {
        try await RosterSyncTestCase.run { harness in
            try await harness.withClient { client in
                let sync = Cds_Roster_V1_RosterSync.Client(wrapping: client)
                func code(_ request: Cds_Roster_V1_PullRosterRequest) async -> RPCError.Code? {
                    do {
                        try await sync.pullRoster(request) { response in for try await _ in response.messages {} }
                        return nil
                    } catch let error as RPCError {
                        return error.code
                    } catch {
                        return .unknown
                    }
                }
                #expect(await code(.with { $0.districtCode = "120" }) == .permissionDenied)
                #expect(await code(.with { $0.districtCode = "12x" }) == .invalidArgument)
                #expect(
                    await code(
                        .with {
                            $0.districtCode = "116"
                            $0.pageSize = 1_000_000
                        }
                    ) == .invalidArgument
                )
                #expect(
                    await code(
                        .with {
                            $0.districtCode = "116"
                            $0.sinceWatermark = -1
                        }
                    ) == .invalidArgument
                )
                await #expect(throws: RPCError.self) { try await sync.getPush(.with { $0.batchID = "nothing-yet" }) }
            }
        }
    }

    /// A certificate of the right CA that no sync client has, or a disabled client's: UNAUTHENTICATED. A certificate
    /// of another CA does not get through the handshake.
    @Test func unknownDisabledAndForeignCertificatesAreRefused() async throws {
        try await RosterSyncTestCase.run { harness in
            func pullCode(certificate: [UInt8]? = nil, key: [UInt8]? = nil) async -> RPCError.Code? {
                do {
                    try await harness.withClient(certificate: certificate, key: key) { client in
                        try await Cds_Roster_V1_RosterSync.Client(wrapping: client).pullRoster(.with { $0.districtCode = "116" }) { response in
                            for try await _ in response.messages {}
                        }
                    }
                    return nil
                } catch let error as RPCError {
                    return error.code
                } catch {
                    return .unknown
                }
            }
            #expect(await pullCode() == nil)

            let caKey = try String(contentsOf: harness.certificates.caKey, encoding: .utf8)
            let caCertificate = try String(contentsOf: harness.certificates.caCertificate, encoding: .utf8)
            let ours = try CertificateAuthority(certificatePEM: caCertificate, keyPEM: caKey)
            let stranger = try ours.issuePEM(commonName: "stranger", usage: .clientAuth, names: [])
            #expect(await pullCode(certificate: stranger.certificate, key: stranger.key) == .unauthenticated)

            let foreign = try CertificateAuthority(name: "someone else's CA").issuePEM(commonName: "dev-province", usage: .clientAuth, names: [])
            #expect(await pullCode(certificate: foreign.certificate, key: foreign.key) == .unavailable)

            try await ControlPlane(database: harness.app).setSyncClientStatus(
                name: DevelopmentCertificates.clientName,
                .disabled,
                actor: .operator("test")
            )
            #expect(await pullCode() == .unauthenticated)
        }
    }
}

/// The development client is the server's to create, once; after that it is the operator's.
@Suite struct DevelopmentClientTests {
    @Test func theDevelopmentClientIsRegisteredOnceAndThenLeftAlone() async throws {
        try await TestDatabase.withFresh { db in
            try await Database.withDatabase(db.application, logger: TestDatabase.logger) { app in
                let plane = ControlPlane(database: app)
                let fingerprint = Data(repeating: 7, count: 32)
                let first = try await plane.registerDevelopmentSyncClient(name: DevelopmentCertificates.clientName, certificateSHA256: fingerprint)
                #expect(first.status == .active && first.districts == nil && first.sources == nil)
                try await plane.setSyncClientStatus(name: DevelopmentCertificates.clientName, .disabled, actor: .operator("test"))
                try await plane.setSyncClientSources(name: DevelopmentCertificates.clientName, ["dev"], actor: .operator("test"))
                let restarted = try await plane.registerDevelopmentSyncClient(
                    name: DevelopmentCertificates.clientName,
                    certificateSHA256: Data(repeating: 8, count: 32)
                )
                #expect(restarted.status == .disabled)
                #expect(restarted.sources == ["dev"])
                #expect(restarted.certificateSHA256 == fingerprint)
            }
        }
    }
}
