import CDSDatabase
import CDSRosterSync
import CDSTestSupport
import Foundation
import PostgresNIO
import Testing

/// The database URL's `sslmode` means what libpq means by it: `prefer` falls back to plain on a server without TLS,
/// `require` encrypts without checking the certificate, `verify-ca` checks the chain against `sslrootcert` and
/// `verify-full` the host name too. Against a cluster of its own, whose TLS the test turns on.
@Suite(.serialized) struct DatabaseTLSTests {
    /// A cluster of its own, its server certificate issued for `names` by a new CA; TLS off until `tls` is given.
    struct Cluster {
        let embedded: EmbeddedPostgres
        let directory: URL
        let authority: CertificateAuthority
        var caFile: URL { directory.appendingPathComponent("ca.pem") }

        static func run(_ body: (Cluster) async throws -> Void) async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cds-tls-\(UUID().uuidString.prefix(8))")
            let embedded = try await EmbeddedPostgres.start(dataDirectory: directory, maximumConnections: 20, logger: TestDatabase.logger)
            let authority = try CertificateAuthority(name: "CDS test database CA")
            try Data(authority.certificate.serializeAsPEM().pemString.utf8).write(to: directory.appendingPathComponent("ca.pem"))
            do {
                try await body(Cluster(embedded: embedded, directory: directory, authority: authority))
            } catch {
                await embedded.stop()
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
            await embedded.stop()
            try? FileManager.default.removeItem(at: directory)
        }

        /// Turns TLS on with a server certificate for `names`, kept in the cluster's own directory (the server's
        /// account must own its key).
        func serveTLS(names: [CertificateAuthority.Name]) async throws {
            let (certificate, key) = try authority.issuePEM(commonName: "database", usage: .serverAuth, names: names)
            let cluster = directory.appendingPathComponent("postgres")
            let owner = try FileManager.default.attributesOfItem(atPath: cluster.path)[.ownerAccountID]
            for (name, contents) in [("server.crt", certificate), ("server.key", key)] {
                let file = cluster.appendingPathComponent(name)
                try? FileManager.default.removeItem(at: file)
                _ = FileManager.default.createFile(atPath: file.path, contents: Data(contents), attributes: [.posixPermissions: 0o600])
                if let owner { try FileManager.default.setAttributes([.ownerAccountID: owner], ofItemAtPath: file.path) }
            }
            try await superuser { connection in
                try await connection.query("ALTER SYSTEM SET ssl = on", logger: TestDatabase.logger)
                try await connection.query("SELECT pg_reload_conf()", logger: TestDatabase.logger)
            }
            // The reload is asynchronous: wait until a new session sees it.
            for _ in 0..<50 {
                if try await superuser({ try await $0.query("SHOW ssl", logger: TestDatabase.logger).collect().first?.decode(String.self) }) == "on" {
                    return
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        func superuser<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
            let connection = try await PostgresConnection.connect(
                configuration: try embedded.superuserEndpoint.connectionConfiguration(),
                id: 1,
                logger: TestDatabase.logger
            )
            do {
                let result = try await body(connection)
                try await connection.close()
                return result
            } catch {
                try? await connection.close()
                throw error
            }
        }

        /// Whether the application role connects with `query` added to its URL (host `host`), one connection and a pool,
        /// and whether over TLS.
        func connect(_ query: String, host: String = "127.0.0.1") async -> (connected: Bool, encrypted: Bool) {
            var endpoint = embedded.applicationEndpoint
            endpoint.host = host
            let url = endpoint.url.replacingOccurrences(of: "?sslmode=disable", with: "") + (query.isEmpty ? "" : "?\(query)")
            guard let parsed = try? DatabaseEndpoint(url: url),
                let connection = try? await PostgresConnection.connect(
                    configuration: parsed.connectionConfiguration(),
                    id: 2,
                    logger: TestDatabase.logger
                )
            else { return (false, false) }
            let encrypted =
                try? await connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: TestDatabase.logger)
                .collect().first?.decode(Bool.self)
            try? await connection.close()
            // The pool, as cds-server opens it, must connect the same way.
            let pooled = (try? await Database.withDatabase(parsed, logger: TestDatabase.logger) { try await $0.ping(timeout: .seconds(10)) }) != nil
            return (pooled, encrypted ?? false)
        }
    }

    @Test func preferFallsBackToPlainAndTheVerifyingModesCheckTheServer() async throws {
        try await Cluster.run { cluster in
            // TLS off, as initdb leaves it.
            #expect(await cluster.connect("") == (true, false))
            #expect(await cluster.connect("sslmode=prefer") == (true, false))
            #expect(await cluster.connect("sslmode=allow") == (true, false))
            #expect(await cluster.connect("sslmode=require").connected == false)

            try await cluster.serveTLS(names: [.ipAddress([127, 0, 0, 1]), .dnsName("localhost")])
            let ca = cluster.caFile.path
            #expect(await cluster.connect("") == (true, true))
            #expect(await cluster.connect("sslmode=disable") == (true, false))
            #expect(await cluster.connect("sslmode=require") == (true, true))
            #expect(await cluster.connect("sslmode=verify-ca&sslrootcert=\(ca)") == (true, true))
            #expect(await cluster.connect("sslmode=verify-full&sslrootcert=\(ca)") == (true, true))
            #expect(await cluster.connect("sslmode=verify-full&sslrootcert=\(ca)", host: "localhost") == (true, true))
            // Another CA's word is not enough; nor are the system's roots for a private CA.
            let stranger = cluster.directory.appendingPathComponent("stranger.pem")
            try Data(CertificateAuthority(name: "Someone else").certificate.serializeAsPEM().pemString.utf8).write(to: stranger)
            #expect(await cluster.connect("sslmode=verify-ca&sslrootcert=\(stranger.path)").connected == false)
            #expect(await cluster.connect("sslmode=verify-full&sslrootcert=system").connected == false)

            // A certificate for another name: the chain holds, the name does not.
            try await cluster.serveTLS(names: [.dnsName("db.example")])
            #expect(await cluster.connect("sslmode=verify-ca&sslrootcert=\(ca)") == (true, true))
            #expect(await cluster.connect("sslmode=verify-full&sslrootcert=\(ca)").connected == false)
            #expect(await cluster.connect("sslmode=require") == (true, true))
        }
    }
}
