import CDSDatabase
import Foundation
import Logging
import PostgresNIO
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The one PostgreSQL server of a test process, with a template database migrated once; or the nodes of a Citus
/// cluster (``CitusTestCluster``), where a test's database is made on every node.
actor TestCluster {
    static let shared = TestCluster()

    struct Ready: Sendable {
        /// The superuser of every node, the one that clients connect to first.
        let nodes: [DatabaseEndpoint]
        let owner: DatabaseEndpoint
        let application: DatabaseEndpoint
        let template: String

        var superuser: DatabaseEndpoint { nodes[0] }

        func createDatabase(_ name: String, template: String) async throws {
            try await onEveryNode { connection in
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
            try await onEveryNode { connection in
                // FORCE ends the sessions, not a Citus maintenance daemon, which leaves within a moment once the
                // database takes no connection.
                _ = try? await connection.query(
                    PostgresQuery(unsafeSQL: "ALTER DATABASE \(name) WITH ALLOW_CONNECTIONS false"),
                    logger: TestDatabase.logger
                )
                for attempt in 1... {
                    do {
                        try await connection.query(
                            PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"),
                            logger: TestDatabase.logger
                        )
                        return
                    } catch let error as PSQLError where error.sqlState == "55006" && attempt < 100 {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
            }
        }

        private func onEveryNode(_ body: @escaping @Sendable (PostgresConnection) async throws -> Void) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in nodes {
                    group.addTask { try await TestCluster.withSuperuserConnection(to: node, body) }
                }
                try await group.waitForAll()
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
    static func withSuperuserConnection(to superuser: DatabaseEndpoint, _ body: (PostgresConnection) async throws -> Void) async throws {
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
        if let citus = CitusTestCluster.current {
            return Ready(
                nodes: citus.nodes,
                owner: citus.owner.with(database: citus.template),
                application: citus.application.with(database: citus.template),
                template: citus.template
            )
        }
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
            nodes: [superuser],
            owner: owner,
            application: owner.with(username: RoleBootstrap.applicationRole, password: applicationPassword),
            template: template
        )
    }

    private static func runExitCommands() {
        for command in exitCommands.withLock({ $0 }) { _ = system(command) }
    }
}
