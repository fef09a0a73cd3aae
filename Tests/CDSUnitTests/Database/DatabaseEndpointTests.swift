import CDSDatabase
import Testing

/// The database URL as libpq reads it.
@Suite struct DatabaseEndpointTests {
    @Test func theVerifyingModesNeedARootAndUnknownModesAreRefused() throws {
        for url in ["postgres://a@h/d?sslmode=verify-full", "postgres://a@h/d?sslmode=verify-ca&sslrootcert=", "postgres://a@h/d?sslmode=strict"] {
            #expect(throws: DatabaseError.self, "\(url)") { try DatabaseEndpoint(url: url) }
        }
        let endpoint = try DatabaseEndpoint(url: "postgres://a@h/d?sslmode=verify-full&sslrootcert=/etc/cds/db-ca.pem")
        #expect(endpoint.tlsMode == .verifyFull && endpoint.rootCertificates == "/etc/cds/db-ca.pem")
        #expect(endpoint.url.hasSuffix("?sslmode=verify-full&sslrootcert=/etc/cds/db-ca.pem"))
    }
}
