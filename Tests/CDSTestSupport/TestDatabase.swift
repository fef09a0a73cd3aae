import CDSDatabase
import Foundation
import Logging
import PostgresNIO
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A fresh database for one test, cloned from a migrated template that holds the reference units.
///
/// One PostgreSQL cluster serves the whole test process: the embedded helper in a temporary directory,
/// or the server that `CDS_TEST_DATABASE_URL` names (a superuser URL on a server dedicated to tests).
public struct TestDatabase: Sendable {
    /// `cds_owner` on this test's database.
    public let owner: DatabaseEndpoint
    /// `cds_app` on this test's database: what the tests query tenant data as.
    public let application: DatabaseEndpoint
    /// A superuser on this test's database, for inspecting what the roles cannot see.
    public let superuser: DatabaseEndpoint

    /// How long a test's query waits for a connection of its pools.
    static let acquireTimeout: Duration = .seconds(120)

    public static let logger: Logger = {
        var logger = Logger(label: "cds.test")
        logger.logLevel = ProcessInfo.processInfo.environment["CDS_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()

    /// Runs `body` with a new database, dropped afterwards.
    ///
    /// - Parameter migrated: `true` for a clone of the migrated template with the reference units;
    ///   `false` for an empty database owned by `cds_owner` (for migration tests).
    public static func withFresh<Result: Sendable>(migrated: Bool = true, _ body: (TestDatabase) async throws -> Result) async throws -> Result {
        let cluster = try await TestCluster.shared.ready()
        let name = "test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        do {
            try await cluster.createDatabase(name, template: migrated ? cluster.template : "template0")
        } catch let error as PSQLError {
            throw ServerFailure(error)
        }
        // Small pools: every test runs at once, each with its own pools, on a 2-core machine; and patient ones: while
        // the whole suite starts, hundreds of backends start on new databases at once, and on a slow machine a first
        // connection has taken longer than 30 s to come (on a Citus cluster, more than the server's 15 s to connect).
        var owner = cluster.owner.with(database: name)
        owner.maximumConnections = 4
        owner.acquireTimeout = Self.acquireTimeout
        owner.connectTimeout = Self.acquireTimeout
        var application = cluster.application.with(database: name)
        application.maximumConnections = 8
        application.acquireTimeout = Self.acquireTimeout
        application.connectTimeout = Self.acquireTimeout
        let database = TestDatabase(owner: owner, application: application, superuser: cluster.superuser.with(database: name))
        do {
            let result = try await body(database)
            try await cluster.dropDatabase(name)
            return result
        } catch let error as PSQLError {
            try? await cluster.dropDatabase(name)
            throw ServerFailure(error)
        } catch {
            try? await cluster.dropDatabase(name)
            throw error
        }
    }

    /// A PostgreSQL error with what the server said: PSQLError's own description hides it (it may hold data), which
    /// in a test of a throwaway database only hides the cause of a failure.
    public struct ServerFailure: Error, CustomStringConvertible {
        public let error: PSQLError
        init(_ error: PSQLError) { self.error = error }
        public var description: String { String(reflecting: error) }
    }

    /// Runs `body` with pools on this database as the application role and as the owner.
    public func withPools<Result: Sendable>(_ body: (_ application: Database, _ owner: Database) async throws -> Result) async throws -> Result {
        try await Database.withDatabase(application, logger: Self.logger) { application in
            try await Database.withDatabase(owner, logger: Self.logger) { owner in
                try await body(application, owner)
            }
        }
    }

    /// Runs one statement as the superuser and returns its rows, for checks that must see past RLS.
    public func superuserRows<each Column: PostgresDecodable & Sendable>(
        _ query: PostgresQuery,
        as types: (repeat each Column).Type
    ) async throws -> [(repeat each Column)] {
        let connection = try await PostgresConnection.connect(configuration: superuser.testConnectionConfiguration(), id: 9, logger: Self.logger)
        var rows: [(repeat each Column)] = []
        do {
            for try await row in try await connection.query(query, logger: Self.logger).decode((repeat each Column).self) {
                rows.append(row)
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return rows
    }
}

extension DatabaseEndpoint {
    /// A single-connection configuration for direct connections in tests, as patient as the tests' pools: while the
    /// whole suite starts at once on two cores, a connection has taken longer than PostgresNIO's 10 s to come.
    public func testConnectionConfiguration() -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: .disable
        )
        configuration.options.connectTimeout = .seconds(Int64(TestDatabase.acquireTimeout.components.seconds))
        return configuration
    }
}
