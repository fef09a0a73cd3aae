import CDSDatabase
import CDSTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct EmbeddedPostgresTests {
    static func temporaryDirectory() -> URL {
        URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cds-embedded-test-\(UUID().uuidString.prefix(8))")
    }

    @Test func aSecondProcessReusesTheRunningClusterAndOnlyTheStarterStopsIt() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await EmbeddedPostgres.start(dataDirectory: directory, logger: TestDatabase.logger)
        let second = try await EmbeddedPostgres.start(dataDirectory: directory, logger: TestDatabase.logger)
        #expect(first.startedHere)
        #expect(!second.startedHere)
        #expect(second.port == first.port)
        #expect(second.applicationEndpoint == first.applicationEndpoint)

        await second.stop()
        #expect(try await EmbeddedPostgres.runningPort(dataDirectory: directory) == first.port)
        let attached = try await EmbeddedPostgres.attach(dataDirectory: directory, logger: TestDatabase.logger)
        #expect(attached?.ownerEndpoint == first.ownerEndpoint)

        await first.stop()
        #expect(try await EmbeddedPostgres.runningPort(dataDirectory: directory) == nil)
        #expect(try await EmbeddedPostgres.attach(dataDirectory: directory, logger: TestDatabase.logger) == nil)
    }

    @Test func refusesAClusterMadeByAnotherVersion() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cluster = directory.appendingPathComponent("postgres")
        try FileManager.default.createDirectory(at: cluster, withIntermediateDirectories: true)
        try "9.6\n".write(to: cluster.appendingPathComponent("PG_VERSION"), atomically: true, encoding: .utf8)
        let error = try await #require(throws: EmbeddedPostgresError.self) {
            try await EmbeddedPostgres.start(dataDirectory: directory, logger: TestDatabase.logger)
        }
        #expect(error.code == .versionMismatch)
        #expect(error.message.contains("PostgreSQL 9.6"))
    }

    @Test(.enabled(if: geteuid() == 0, "only root hands the cluster to the postgres account"))
    func saysWhichDirectoryKeepsTheServerAccountOut() async throws {
        let locked = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: locked) }
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let error = try await #require(throws: EmbeddedPostgresError.self) {
            try await EmbeddedPostgres.start(dataDirectory: locked.appendingPathComponent("data"), logger: TestDatabase.logger)
        }
        #expect(error.code == .dataDirectoryUnreachable)
        #expect(error.message.contains("chmod o+x \(locked.path)"))
    }

    @Test func aURLThatCannotConnectSaysSo() async throws {
        let clusterPort = try await TestDatabase.withFresh { db in db.application.port }
        let nobody = try DatabaseEndpoint(url: "postgres://cds_app:wrong@127.0.0.1:1/cds?sslmode=disable")
        let refused = try await #require(throws: DatabaseError.self) {
            try await Database.withDatabase(nobody, logger: TestDatabase.logger) { _ in }
        }
        #expect(refused.code == .unreachable)
        #expect(refused.message.contains("127.0.0.1:1"))
        #expect(!refused.message.contains("wrong"))

        let wrongPassword = try DatabaseEndpoint(url: "postgres://cds_app:wrong@127.0.0.1:\(clusterPort)/cds?sslmode=disable")
        let rejected = try await #require(throws: DatabaseError.self) {
            try await Database.withDatabase(wrongPassword, logger: TestDatabase.logger) { _ in }
        }
        #expect(rejected.code == .unreachable)
        #expect(rejected.message.contains("password authentication failed"))

        try await withSilentLoopbackListener { port in
            var silent = try DatabaseEndpoint(url: "postgres://cds_app:wrong@127.0.0.1:\(port)/cds?sslmode=disable")
            silent.connectTimeout = .seconds(1)
            let unanswered = try await #require(throws: DatabaseError.self) {
                try await Database.withDatabase(silent, logger: TestDatabase.logger) { _ in }
            }
            #expect(unanswered.code == .unreachable)
            #expect(unanswered.message.contains("no connection within 1.0 seconds"), "\(unanswered.message)")
        }
    }

    @Test(arguments: ["mysql://u:p@h/db", "postgres://", "postgres://localhost/cds", "postgres://u@h/db?sslmode=sometimes", "not a url"])
    func malformedURLsAreRefused(_ url: String) {
        #expect {
            try DatabaseEndpoint(url: url)
        } throws: { ($0 as? DatabaseError)?.code == .invalidURL }
    }

    @Test func settingsComeFromTheEnvironmentWithTheDocumentedDefaults() {
        let defaults = DatabaseSettings.fromEnvironment([:])
        #expect(defaults.isEmbedded)
        #expect(defaults.dataDirectory.lastPathComponent == ".cds")
        let external = DatabaseSettings.fromEnvironment(["CDS_DATABASE_URL": "postgres://cds_app:x@db:5432/cds", "CDS_DATA_DIR": "/var/lib/cds"])
        #expect(!external.isEmbedded)
        #expect(external.dataDirectory.path == "/var/lib/cds")
    }
}
