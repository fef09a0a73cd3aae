import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// Where `cds-admin sync` connects, and with which client pair: by default the server on `CDS_GRPC_ADDR` (or
/// 127.0.0.1:8443) and the development pair that `cds-server` made in `CDS_DATA_DIR/tls/`.
struct SyncConnection: ParsableArguments {
    @Option(help: "The roster sync server, host:port (default: CDS_GRPC_ADDR, else 127.0.0.1:8443).")
    var server: String?

    @Option(help: "The client certificate, PEM (default: CDS_DATA_DIR/tls/client.pem).")
    var cert: String?

    @Option(help: "The client certificate's key, PEM (default: CDS_DATA_DIR/tls/client-key.pem).")
    var key: String?

    @Option(help: "The CA to verify the server with, PEM (default: CDS_DATA_DIR/tls/ca.pem).")
    var ca: String?

    /// Runs `body` with a client connected over mutual TLS.
    func withClient<Result: Sendable>(_ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result) async throws -> Result {
        let environment = StaffEnvironment.current
        let tls = URL(fileURLWithPath: environment["CDS_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ".cds").appendingPathComponent("tls")
        func read(_ path: String?, _ fallback: String, _ what: String) throws -> [UInt8] {
            let file = path ?? tls.appendingPathComponent(fallback).path
            guard let data = FileManager.default.contents(atPath: file) else {
                throw AdminError.notFound("cannot read the \(what) \(file): give --\(what == "CA" ? "ca" : what == "key" ? "key" : "cert") FILE")
            }
            return Array(data)
        }
        let address = server ?? environment["CDS_GRPC_ADDR"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1:8443"
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw AdminError.usage("'\(address)' is not host:port")
        }
        let host = String(address[..<colon])
        let (chain, privateKey, authority) = (
            try read(cert, "client.pem", "cert"), try read(key, "client-key.pem", "key"), try read(ca, "ca.pem", "CA")
        )
        let transport = try HTTP2ClientTransport.Posix(
            target: host.first?.isNumber == true ? .ipv4(address: host, port: port) : .dns(host: host, port: port),
            transportSecurity: .mTLS(certificateChain: [.bytes(chain, format: .pem)], privateKey: .bytes(privateKey, format: .pem)) {
                $0.trustRoots = .certificates([.bytes(authority, format: .pem)])
            }
        )
        do {
            return try await withGRPCClient(transport: transport, handleClient: body)
        } catch let error as RPCError {
            throw AdminError.rpc(error, server: address)
        }
    }
}

extension AdminError {
    /// A gRPC status as a command's failure, with the documented exit code.
    static func rpc(_ error: RPCError, server: String) -> AdminError {
        let message = "\(error.code): \(error.message)"
        switch error.code {
        case .unauthenticated, .permissionDenied: return .permissionDenied(message)
        case .notFound: return .notFound(message)
        case .alreadyExists, .failedPrecondition, .aborted: return .conflict(message)
        case .unavailable:
            return .failure("cannot reach the roster sync server at \(server) (\(error.message)): is it running, and are the certificates right?")
        default: return .failure(message)
        }
    }
}
