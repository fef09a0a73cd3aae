import CDSDatabase
import Foundation
import Logging
import PostgresNIO
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The one PostgreSQL server of a test process, with a template database migrated once.
actor TestCluster {
    static let shared = TestCluster()

    struct Ready: Sendable {
        let superuser: DatabaseEndpoint
        let owner: DatabaseEndpoint
        let application: DatabaseEndpoint
        let template: String

        func createDatabase(_ name: String, template: String) async throws {
            try await TestCluster.shared.withSuperuserConnection { connection in
                try await connection.query(
                    PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE \(template) OWNER cds_owner"),
                    logger: TestDatabase.logger
                )
                try await connection.query(
                    PostgresQuery(unsafeSQL: "GRANT CONNECT, TEMPORARY ON DATABASE \(name) TO cds_app"),
                    logger: TestDatabase.logger
                )
            }
        }

        func dropDatabase(_ name: String) async throws {
            try await TestCluster.shared.withSuperuserConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: TestDatabase.logger)
            }
        }
    }

    /// Shell commands run at process exit: stop the embedded server, remove its directory.
    private static let exitCommands = Mutex<[String]>([])

    private var setup: Task<Ready, any Error>?

    func ready() async throws -> Ready {
        if let setup { return try await setup.value }
        let task = Task { try await Self.start() }
        setup = task
        return try await task.value
    }

    /// One short-lived superuser connection; nobody stays connected to the template, which CREATE DATABASE requires.
    func withSuperuserConnection(_ body: (PostgresConnection) async throws -> Void) async throws {
        let superuser = try await ready().superuser
        let connection = try await PostgresConnection.connect(
            configuration: superuser.testConnectionConfiguration(),
            id: 2,
            logger: TestDatabase.logger
        )
        do {
            try await body(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static func start() async throws -> Ready {
        let logger = TestDatabase.logger
        let superuser: DatabaseEndpoint
        let template = "cds_template_\(getpid())"
        let ownerPassword: String
        let applicationPassword: String
        if let url = ProcessInfo.processInfo.environment["CDS_TEST_DATABASE_URL"], !url.isEmpty {
            superuser = try DatabaseEndpoint(url: url).with(database: "postgres")
            ownerPassword = UUID().uuidString.lowercased().filter(\.isHexDigit)
            applicationPassword = UUID().uuidString.lowercased().filter(\.isHexDigit)
            try await RoleBootstrap.run(
                superuser: superuser,
                database: "cds_test_roles",
                ownerPassword: ownerPassword,
                applicationPassword: applicationPassword,
                logger: logger
            )
        } else {
            let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
                "cds-test-\(getpid())-\(UInt32.random(in: 0 ... .max))"
            )
            let embedded = try await EmbeddedPostgres.start(dataDirectory: directory, maximumConnections: 1000, logger: logger)
            let stop = embedded.immediateStopCommand
            exitCommands.withLock { $0 = [stop, "rm -rf '\(directory.path)'"] }
            atexit { TestCluster.runExitCommands() }
            superuser = embedded.superuserEndpoint
            ownerPassword = embedded.ownerEndpoint.password ?? ""
            applicationPassword = embedded.applicationEndpoint.password ?? ""
        }
        let connection = try await PostgresConnection.connect(
            configuration: superuser.testConnectionConfiguration(),
            id: 3,
            logger: logger
        )
        try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(template) WITH (FORCE)"), logger: logger)
        try await RoleBootstrap.createDatabase(template, template: "template0", connection: connection, logger: logger)
        try await connection.close()

        let owner = superuser.with(database: template, username: RoleBootstrap.ownerRole, password: ownerPassword)
        try await Database.withDatabase(owner, logger: logger) { database in
            try await MigrationRunner(database: database).migrate()
            _ = try await UnitImporter(database: database).importReferenceUnits()
        }
        // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template, and autovacuum connects to a
        // database just filled, to analyse it: a test starting then failed at its first line. Closed to connections,
        // the template is left alone, as template0 is.
        let closing = try await PostgresConnection.connect(configuration: superuser.testConnectionConfiguration(), id: 4, logger: logger)
        try await closing.query(PostgresQuery(unsafeSQL: "ALTER DATABASE \(template) WITH ALLOW_CONNECTIONS false"), logger: logger)
        try await closing.close()
        return Ready(
            superuser: superuser,
            owner: owner,
            application: owner.with(username: RoleBootstrap.applicationRole, password: applicationPassword),
            template: template
        )
    }

    private static func runExitCommands() {
        for command in exitCommands.withLock({ $0 }) { _ = system(command) }
    }
}
