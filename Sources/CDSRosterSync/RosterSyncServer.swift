import CDSDatabase
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// The roster sync's gRPC server: HTTP/2 over TLS with ALPN h2, a client certificate required and verified against
/// the configured client CA only, the transport's limits set; `grpc.health.v1.Health` beside the service. Runs as a
/// service of `cds-server`'s group and stops with it (gracefully: calls in flight finish).
public struct RosterSyncServer: Service {
    let server: GRPCServer<HTTP2ServerTransport.Posix>
    let controlPlane: ControlPlane
    let developmentClient: Data?

    /// - Parameters:
    ///   - host: an IP address to listen on; port 0 lets the system choose (see ``listeningPort()``).
    ///   - developmentClient: the development client certificate's fingerprint, registered as `dev-province` for
    ///     every district and source on the first start with the development material; never changed after.
    public init(
        host: String,
        port: Int,
        tls: SyncTLSFiles,
        limits: RosterSyncLimits = .init(),
        database: Database,
        developmentClient: Data? = nil
    ) throws {
        let (certificate, key, clientCA) = try tls.contents()
        let transport = HTTP2ServerTransport.Posix(
            address: host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port),
            transportSecurity: .mTLS(certificateChain: [.bytes(certificate, format: .pem)], privateKey: .bytes(key, format: .pem)) {
                $0.clientCertificateVerification = .noHostnameVerification
                $0.trustRoots = .certificates([.bytes(clientCA, format: .pem)])
                $0.requireALPN = true
            },
            config: .defaults {
                $0.rpc.maxRequestPayloadSize = limits.maximumMessageBytes
                $0.http2.maxConcurrentStreams = limits.maximumConcurrentStreams
                $0.connection.maxIdleTime = limits.maximumIdleTime
                $0.connection.maxAge = limits.maximumConnectionAge
                $0.connection.maxGraceTime = .seconds(60)
                $0.connection.keepalive.time = limits.keepaliveTime
                $0.connection.keepalive.timeout = limits.keepaliveTimeout
            }
        )
        let controlPlane = ControlPlane(database: database)
        self.controlPlane = controlPlane
        self.developmentClient = developmentClient
        server = GRPCServer(
            transport: transport,
            services: [RosterSyncService(database: database, controlPlane: controlPlane, limits: limits), HealthService()],
            interceptors: [CallMetricsInterceptor(), DatabaseUnavailableInterceptor()]
        )
    }

    /// The port it listens on, once it does.
    public func listeningPort() async throws -> Int? {
        let address = try await server.listeningAddress
        return address?.ipv4?.port ?? address?.ipv6?.port
    }

    public func run() async throws {
        if let developmentClient {
            try await controlPlane.registerDevelopmentSyncClient(name: DevelopmentCertificates.clientName, certificateSHA256: developmentClient)
        }
        try await withGracefulShutdownHandler {
            try await server.serve()
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
        }
    }
}
