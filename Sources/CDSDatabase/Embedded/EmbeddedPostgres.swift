import Foundation
import Logging

/// A PostgreSQL cluster that the project runs itself, for development and tests.
///
/// The cluster lives in `<data directory>/postgres`, is initialised once, and listens on a free port of
/// 127.0.0.1 only, with password authentication (no Unix socket, so no path-length or permission traps).
/// A process that finds the cluster already running reuses it; the process that started it stops it.
/// When this process is root, `initdb` and the server run as the unprivileged `postgres` account.
public final class EmbeddedPostgres: Sendable {
    /// The application database's name.
    public static let databaseName = "cds"

    public let dataDirectory: URL
    public let port: Int
    /// Whether this process started the server (and so stops it in ``stop()``).
    public let startedHere: Bool
    let binaries: PostgresBinaries
    let credentials: ClusterCredentials
    let logger: Logger

    /// The bootstrap superuser, on the `postgres` database.
    public var superuserEndpoint: DatabaseEndpoint {
        DatabaseEndpoint(host: "127.0.0.1", port: port, database: "postgres", username: "postgres", password: credentials.superuser)
    }
    /// `cds_owner` on the application database: migrations and operator commands.
    public var ownerEndpoint: DatabaseEndpoint {
        DatabaseEndpoint(
            host: "127.0.0.1",
            port: port,
            database: Self.databaseName,
            username: RoleBootstrap.ownerRole,
            password: credentials.owner
        )
    }
    /// `cds_app` on the application database: everything else.
    public var applicationEndpoint: DatabaseEndpoint {
        DatabaseEndpoint(
            host: "127.0.0.1",
            port: port,
            database: Self.databaseName,
            username: RoleBootstrap.applicationRole,
            password: credentials.application
        )
    }

    var clusterDirectory: URL { dataDirectory.appendingPathComponent("postgres") }
    var logFile: URL { dataDirectory.appendingPathComponent("postgres.log") }

    private init(dataDirectory: URL, port: Int, startedHere: Bool, binaries: PostgresBinaries, credentials: ClusterCredentials, logger: Logger) {
        self.dataDirectory = dataDirectory
        self.port = port
        self.startedHere = startedHere
        self.binaries = binaries
        self.credentials = credentials
        self.logger = logger
    }

    /// Initialises the cluster if needed, starts it unless it is running, and creates the roles and the database.
    ///
    /// - Parameters:
    ///   - dataDirectory: `CDS_DATA_DIR`; created if missing.
    ///   - maximumConnections: PostgreSQL's `max_connections` when this call starts the server (the test suite, with
    ///     a pool per test and every test at once, needs more than a server does).
    /// - Throws: ``EmbeddedPostgresError`` saying what is wrong and what to do.
    public static func start(dataDirectory: URL, maximumConnections: Int = 200, logger: Logger) async throws -> EmbeddedPostgres {
        let binaries = try await PostgresBinaries.locate()
        let dataDirectory = dataDirectory.standardizedFileURL
        try prepareDataDirectory(dataDirectory)
        try await checkReachableByServerAccount(dataDirectory)

        return try await FileLock.withExclusiveLock(path: dataDirectory.appendingPathComponent(".lock").path) {
            let credentials = try ClusterCredentials.loadOrCreate(at: dataDirectory.appendingPathComponent("postgres-credentials.json"))
            let cluster = dataDirectory.appendingPathComponent("postgres")
            try await initialiseIfNeeded(cluster, binaries: binaries, credentials: credentials, logger: logger)

            let running = try await runningPort(cluster, binaries: binaries)
            let port: Int
            if let running {
                port = running
                logger.info("reusing the running embedded PostgreSQL", metadata: ["cds.data_dir": "\(dataDirectory.path)", "cds.port": "\(port)"])
            } else {
                port = try await startServer(
                    cluster,
                    logFile: dataDirectory.appendingPathComponent("postgres.log"),
                    maximumConnections: maximumConnections,
                    binaries: binaries
                )
                logger.info("started embedded PostgreSQL", metadata: ["cds.data_dir": "\(dataDirectory.path)", "cds.port": "\(port)"])
            }
            let embedded = EmbeddedPostgres(
                dataDirectory: dataDirectory,
                port: port,
                startedHere: running == nil,
                binaries: binaries,
                credentials: credentials,
                logger: logger
            )
            do {
                try await RoleBootstrap.run(
                    superuser: embedded.superuserEndpoint,
                    database: databaseName,
                    ownerPassword: credentials.owner,
                    applicationPassword: credentials.application,
                    logger: logger
                )
            } catch {
                await embedded.stop()
                throw EmbeddedPostgresError(.bootstrapFailed, "could not create the roles and database: \(String(reflecting: error))")
            }
            return embedded
        }
    }

    /// The cluster in `dataDirectory` if it is running, without starting it; `nil` when it is not.
    public static func attach(dataDirectory: URL, logger: Logger) async throws -> EmbeddedPostgres? {
        let dataDirectory = dataDirectory.standardizedFileURL
        let binaries = try await PostgresBinaries.locate()
        let credentialsFile = dataDirectory.appendingPathComponent("postgres-credentials.json")
        guard let port = try await runningPort(dataDirectory.appendingPathComponent("postgres"), binaries: binaries),
            FileManager.default.fileExists(atPath: credentialsFile.path)
        else { return nil }
        return EmbeddedPostgres(
            dataDirectory: dataDirectory,
            port: port,
            startedHere: false,
            binaries: binaries,
            credentials: try ClusterCredentials.loadOrCreate(at: credentialsFile),
            logger: logger
        )
    }

    /// The port of the cluster in `dataDirectory` if it is running, without starting it.
    public static func runningPort(dataDirectory: URL) async throws -> Int? {
        try await runningPort(dataDirectory.standardizedFileURL.appendingPathComponent("postgres"), binaries: PostgresBinaries.locate())
    }

    /// Stops the server if this process started it. Fast shutdown: open transactions are rolled back.
    public func stop() async {
        guard startedHere else { return }
        await Self.stopServer(clusterDirectory, binaries: binaries, logger: logger)
    }

    /// Stops the server whoever started it (`cds-admin db stop`).
    public static func stopServer(dataDirectory: URL, logger: Logger) async throws {
        await stopServer(
            dataDirectory.standardizedFileURL.appendingPathComponent("postgres"),
            binaries: try PostgresBinaries.locate(),
            logger: logger
        )
    }

    /// A shell command that stops the server at once, for an `atexit` handler that cannot await.
    package var immediateStopCommand: String {
        let stop = "'\(binaries.pgCtl)' stop -D '\(clusterDirectory.path)' -m immediate -w >/dev/null 2>&1"
        return ProcessRunner.isRoot ? "runuser -u \(ProcessRunner.unprivilegedAccount) -- \(stop)" : stop
    }

    private static func stopServer(_ cluster: URL, binaries: PostgresBinaries, logger: Logger) async {
        do {
            let output = try await ProcessRunner.run(
                binaries.pgCtl,
                ["stop", "-D", cluster.path, "-m", "fast", "-w", "-t", "60"],
                dropPrivileges: true
            )
            if output.status != 0 {
                logger.warning("pg_ctl stop failed", metadata: ["output": "\(output.text)"])
            }
        } catch {
            logger.warning("pg_ctl stop failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    // MARK: Setting up

    private static func prepareDataDirectory(_ dataDirectory: URL) throws {
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
            if ProcessRunner.isRoot {
                // The server account must traverse it to reach its cluster, but may not list or read it.
                try fileManager.setAttributes([.posixPermissions: 0o711], ofItemAtPath: dataDirectory.path)
            }
        } catch {
            throw EmbeddedPostgresError(
                .dataDirectoryUnreachable,
                "cannot create the data directory \(dataDirectory.path): \(error.localizedDescription). Set CDS_DATA_DIR to a writable directory."
            )
        }
    }

    /// PostgreSQL runs as `postgres` when we are root: every directory above its cluster must let that
    /// account through. `/root` (mode 700) does not; say so now instead of failing inside `initdb`.
    private static func checkReachableByServerAccount(_ dataDirectory: URL) async throws {
        guard ProcessRunner.isRoot else { return }
        let account = ProcessRunner.unprivilegedAccount
        if try await ProcessRunner.run("/usr/bin/test", ["-x", dataDirectory.path], dropPrivileges: true).status == 0 { return }
        var blocking = dataDirectory.path
        var ancestor = URL(fileURLWithPath: "/")
        for component in dataDirectory.pathComponents.dropFirst() {
            ancestor.appendPathComponent(component)
            if try await ProcessRunner.run("/usr/bin/test", ["-x", ancestor.path], dropPrivileges: true).status != 0 {
                blocking = ancestor.path
                break
            }
        }
        throw EmbeddedPostgresError(
            .dataDirectoryUnreachable,
            """
            the PostgreSQL server runs as the unprivileged account '\(account)' (it refuses to run as root), and '\(account)' cannot reach \(dataDirectory.path): \
            \(blocking) does not let it through. Set CDS_DATA_DIR to a directory it can reach (e.g. /var/lib/cds or /tmp/cds), \
            or allow it through with: chmod o+x \(blocking)
            """
        )
    }

    private static func initialiseIfNeeded(_ cluster: URL, binaries: PostgresBinaries, credentials: ClusterCredentials, logger: Logger) async throws {
        let fileManager = FileManager.default
        let versionFile = cluster.appendingPathComponent("PG_VERSION")
        if let existing = try? String(contentsOf: versionFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) {
            guard existing == String(binaries.majorVersion) else {
                throw EmbeddedPostgresError(
                    .versionMismatch,
                    "the cluster in \(cluster.path) was created by PostgreSQL \(existing), but the server programs found are version \(binaries.majorVersion) (\(binaries.directory)). Put PostgreSQL \(existing)'s bin directory first on PATH, or move the data directory away to start afresh."
                )
            }
            return
        }
        if fileManager.fileExists(atPath: cluster.path),
            let contents = try? fileManager.contentsOfDirectory(atPath: cluster.path), !contents.isEmpty
        {
            throw EmbeddedPostgresError(
                .initdbFailed,
                "\(cluster.path) exists and is not empty, but holds no PostgreSQL cluster. Move it away or choose another CDS_DATA_DIR."
            )
        }
        logger.info("initialising the embedded PostgreSQL cluster", metadata: ["cds.cluster": "\(cluster.path)"])
        try fileManager.createDirectory(at: cluster, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let passwordFile = cluster.deletingLastPathComponent().appendingPathComponent(".initdb-password")
        guard fileManager.createFile(atPath: passwordFile.path, contents: Data(credentials.superuser.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw EmbeddedPostgresError(.initdbFailed, "cannot write \(passwordFile.path)")
        }
        defer { try? fileManager.removeItem(at: passwordFile) }
        if ProcessRunner.isRoot {
            try await chownToServerAccount(cluster.path)
            try await chownToServerAccount(passwordFile.path)
        }
        let output = try await ProcessRunner.run(
            binaries.initdb,
            [
                "-D", cluster.path, "-U", "postgres", "--pwfile", passwordFile.path, "--auth", "scram-sha-256",
                "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-instructions",
            ],
            dropPrivileges: true
        )
        guard output.status == 0 else {
            try? fileManager.removeItem(at: cluster)
            throw EmbeddedPostgresError(.initdbFailed, "initdb failed:\n\(output.text)")
        }
    }

    private static func chownToServerAccount(_ path: String) async throws {
        let account = ProcessRunner.unprivilegedAccount
        let output = try await ProcessRunner.run("/bin/chown", ["\(account):", path])
        guard output.status == 0 else {
            throw EmbeddedPostgresError(
                .dataDirectoryUnreachable,
                "cannot hand \(path) to the account '\(account)' that runs PostgreSQL: \(output.text). Does the account exist? (Debian's postgresql package creates it.)"
            )
        }
    }

    /// The port from `postmaster.pid` (its 4th line) when `pg_ctl status` says the server runs.
    private static func runningPort(_ cluster: URL, binaries: PostgresBinaries) async throws -> Int? {
        guard FileManager.default.fileExists(atPath: cluster.appendingPathComponent("PG_VERSION").path) else { return nil }
        let status = try await ProcessRunner.run(binaries.pgCtl, ["status", "-D", cluster.path], dropPrivileges: true)
        guard status.status == 0,
            let pid = try? String(contentsOf: cluster.appendingPathComponent("postmaster.pid"), encoding: .utf8)
        else { return nil }
        let lines = pid.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count > 3 ? Int(lines[3].trimmingCharacters(in: .whitespaces)) : nil
    }

    private static func startServer(_ cluster: URL, logFile: URL, maximumConnections: Int, binaries: PostgresBinaries) async throws -> Int {
        if ProcessRunner.isRoot {
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil, attributes: [.posixPermissions: 0o600])
            try await chownToServerAccount(logFile.path)
        }
        var lastOutput = ""
        for _ in 0..<5 {
            guard let port = FreePort.loopback() else { break }
            let options = "-c listen_addresses=127.0.0.1 -c port=\(port) -c unix_socket_directories='' -c max_connections=\(maximumConnections)"
            let output = try await ProcessRunner.run(
                binaries.pgCtl,
                ["start", "-D", cluster.path, "-l", logFile.path, "-w", "-t", "60", "-o", options],
                dropPrivileges: true
            )
            if output.status == 0 { return port }
            lastOutput = output.text + "\n" + logTail(logFile)
            // Another program took the port between our check and the server's bind: try another.
            guard lastOutput.contains("could not bind") || lastOutput.contains("Address already in use") else { break }
        }
        throw EmbeddedPostgresError(.startFailed, "the embedded PostgreSQL did not start:\n\(lastOutput)")
    }

    private static func logTail(_ logFile: URL) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }
}
