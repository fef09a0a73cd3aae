import CDSCore
import CDSDatabase
import GRPCCore
import GRPCNIOTransportHTTP2

/// The registered sync client behind a call, from the certificate its connection presented.
///
/// The TLS handshake has already checked that the certificate chains to the configured client CA (a certificate
/// from any other CA, or none, never gets this far); here its fingerprint must name an active client.
enum SyncCaller {
    static func client(of context: ServerContext, in controlPlane: ControlPlane) async throws -> SyncClient {
        guard let transport = context.transportSpecific as? HTTP2ServerTransport.Posix.Context,
            let certificate = transport.peerCertificate
        else {
            throw RPCError(code: .unauthenticated, message: "the connection presented no client certificate")
        }
        let fingerprint = try certificate.sha256Fingerprint()
        guard let client = try await controlPlane.syncClient(certificateSHA256: fingerprint), client.status == .active else {
            throw RPCError(
                code: .unauthenticated,
                message: "the certificate (sha256 \(fingerprint.map { String(format: "%02x", $0) }.joined())) is not an active sync client's; "
                    + "register it with cds-admin sync-clients add"
            )
        }
        return client
    }

    /// The district a request names: its GSO code, which the client must reach.
    static func district(_ code: String, for client: SyncClient) throws -> TenantID {
        guard !code.isEmpty, code.count <= 6, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber), let value = Int(code) else {
            throw RPCError(code: .invalidArgument, message: "district_code must be a district's GSO code (digits), not '\(code)'")
        }
        let district = TenantID(value)
        guard client.reaches(district) else {
            throw RPCError(code: .permissionDenied, message: "the sync client \(client.name) may not sync district \(code)")
        }
        return district
    }
}
