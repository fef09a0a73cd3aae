import CDSCore
import CDSDatabase
import CDSRosterProto
import CDSRosterSync
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing

/// The roster sync server over real TLS on a loopback port, with the development material, on a test database.
package struct RosterSyncTestCase {
    package let port: Int
    package let certificates: DevelopmentCertificates
    package let database: TestDatabase
    package let app: Database
    package let fixture: TwoDistricts

    /// A running server whose development client reaches `districts` (`nil`: all).
    package static func run(
        districts: Set<TenantID>? = [TenantID(116)],
        limits: RosterSyncLimits = .init(),
        _ body: (RosterSyncTestCase) async throws -> Void
    ) async throws {
        try await TestDatabase.withTwoDistricts { database, app, fixture in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cds-tls-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: directory) }
            let certificates = try DevelopmentCertificates.ensure(in: directory)
            try await ControlPlane(database: app).registerSyncClient(
                name: DevelopmentCertificates.clientName,
                certificateSHA256: try certificates.clientFingerprint(),
                districts: districts,
                sources: ["hrm"],
                actor: .operator("test")
            )
            let server = try RosterSyncServer(
                host: "127.0.0.1",
                port: 0,
                tls: SyncTLSFiles(development: certificates),
                limits: limits,
                database: app
            )
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                var port: Int?
                for _ in 0..<200 where port == nil {
                    port = try? await server.listeningPort()
                    if port == nil { try await Task.sleep(for: .milliseconds(10)) }
                }
                try await body(
                    RosterSyncTestCase(port: try #require(port), certificates: certificates, database: database, app: app, fixture: fixture)
                )
                group.cancelAll()
            }
        }
    }

    /// Calls the server with a client pair (the development client's by default) trusting the development CA.
    package func withClient<Result: Sendable>(
        certificate: [UInt8]? = nil,
        key: [UInt8]? = nil,
        _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let ca = try Array(Data(contentsOf: certificates.caCertificate))
        let chain = try certificate ?? Array(Data(contentsOf: certificates.clientCertificate))
        let privateKey = try key ?? Array(Data(contentsOf: certificates.clientKey))
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: port),
            transportSecurity: .mTLS(certificateChain: [.bytes(chain, format: .pem)], privateKey: .bytes(privateKey, format: .pem)) {
                $0.trustRoots = .certificates([.bytes(ca, format: .pem)])
            }
        )
        return try await withGRPCClient(transport: transport, handleClient: body)
    }

    /// A pull of district 116 since `since`: every message, the last one ending at the district's watermark.
    package func pull(since: Int64, pageSize: Int32 = 0) async throws -> [Cds_Roster_V1_PullRosterResponse] {
        try await withClient { client in
            try await Cds_Roster_V1_RosterSync.Client(wrapping: client).pullRoster(
                .with {
                    $0.districtCode = "116"
                    $0.sinceWatermark = since
                    $0.pageSize = pageSize
                }
            ) { response in
                var messages: [Cds_Roster_V1_PullRosterResponse] = []
                for try await message in response.messages { messages.append(message) }
                return messages
            }
        }
    }
}
