import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// A pool of connections to one database as one role.
///
/// Tenant data is reached only through ``withTenantScope(_:actor:snapshot:plans:_:)``; the pool itself stays inside
/// this package, so that no code path can query a tenant table outside a scope.
public struct Database: Sendable {
    package let client: PostgresClient
    public let endpoint: DatabaseEndpoint
    public let logger: Logger
    let metrics: PoolMetrics
    /// Connections between uses, out of the pool (``ConnectionShelf`` says why).
    let shelf = ConnectionShelf()

    init(client: PostgresClient, endpoint: DatabaseEndpoint, logger: Logger) {
        self.client = client
        self.endpoint = endpoint
        self.logger = logger
        metrics = PoolMetrics(database: endpoint.database, maximumConnections: endpoint.maximumConnections ?? 20)
    }

    /// Connects to `endpoint`, runs `body` with the pool, and closes the pool when `body` returns.
    ///
    /// - Throws: ``DatabaseError/unreachable`` with what to check when the server cannot be reached or
    ///   refuses the credentials; otherwise what `body` throws.
    public static func withDatabase<Result: Sendable>(
        _ endpoint: DatabaseEndpoint,
        logger: Logger,
        _ body: (Database) async throws -> Result
    ) async throws -> Result {
        try await checkReachable(endpoint, logger: logger)
        let client = makeClient(endpoint, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            // Let the child task start run() before the first lease, which otherwise logs a warning.
            for _ in 0..<3 { await Task.yield() }
            let database = Database(client: client, endpoint: endpoint, logger: logger)
            do {
                let result = try await body(database)
                await database.shelf.close()
                return result
            } catch {
                await database.shelf.close()
                throw error
            }
        }
    }

    /// The pool as a service, for a service group that runs it for the life of the process.
    public static func makeService(_ endpoint: DatabaseEndpoint, logger: Logger) -> (Database, some Service) {
        let client = makeClient(endpoint, logger: logger)
        let database = Database(client: client, endpoint: endpoint, logger: logger)
        return (database, PoolService(client: client, shelf: database.shelf))
    }

    /// PostgresNIO's pool on `endpoint`, its connections spread over NIO's event loops (``SpreadEventLoops``).
    private static func makeClient(_ endpoint: DatabaseEndpoint, logger: Logger) -> PostgresClient {
        PostgresClient(configuration: endpoint.clientConfiguration, eventLoopGroup: SpreadEventLoops(), backgroundLogger: logger)
    }

    /// Opens and closes one connection, so that a wrong URL fails now with a clear message instead of
    /// leaving the pool to retry in the background.
    public static func checkReachable(_ endpoint: DatabaseEndpoint, logger: Logger) async throws(DatabaseError) {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try endpoint.connectionConfiguration(),
                id: 0,
                logger: logger
            )
            try? await connection.close()
        } catch {
            logger.debug("database unreachable", metadata: ["cds.database": "\(endpoint)", "error": "\(String(reflecting: error))"])
            let psql = error as? PSQLError
            let reason: String
            if let message = psql?.serverInfo?[.message] {
                reason = message
            } else if case ChannelError.connectTimeout? = psql?.underlying {
                reason = "no connection within \(endpoint.connectTimeout)"
            } else {
                reason = "no connection could be made"
            }
            throw DatabaseError(
                .unreachable,
                "cannot connect to \(endpoint): \(reason). Check that the server is running and that the URL's host, port, user, password and database are right.",
                cause: error
            )
        }
    }

    /// Runs `body` in one transaction: committed when `body` returns, rolled back when it throws.
    /// - Parameter snapshot: a read-only transaction on one snapshot (REPEATABLE READ), for reads that must agree
    ///   with each other over several statements.
    package func withTransaction<Result>(
        snapshot: Bool = false,
        _ body: (LeasedConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await withConnection { connection in
            let begin: PostgresQuery = snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN"
            try await connection.query(begin, logger: logger)
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                do {
                    try await connection.query("ROLLBACK", logger: logger)
                } catch {
                    logger.error("rollback failed", metadata: ["error": "\(String(reflecting: error))"])
                    // Still inside the failed transaction, perhaps: no later use may run its statements in it.
                    try? await connection.underlying.close()
                }
                throw error
            }
            try await connection.query("COMMIT", logger: logger)
            return result
        }
    }
}

extension Database {
    /// Runs `body` with a connection from the shelf or, if it has none, leased from the pool; counted in the pool's
    /// metrics.
    ///
    /// - Throws: ``DatabaseError/Code/unavailable`` when no connection comes within the endpoint's acquire timeout, or
    ///   the pool cannot make one; then what `body` throws.
    package func withConnection<Result>(_ body: (LeasedConnection) async throws -> sending Result) async throws -> sending Result {
        let asked = ContinuousClock.now
        let lease: PooledLease
        let connection: PostgresConnection
        if let shelved = shelf.take() {
            (lease, connection) = (shelved.lease, shelved.connection)
        } else {
            defer { shelf.doneWaiting() }
            (lease, connection) = try await leaseOpenConnection()
        }
        metrics.wait.record(duration: ContinuousClock.now - asked)
        metrics.inUse.increment()
        defer {
            metrics.inUse.decrement()
        }
        do {
            let result = try await body(LeasedConnection(underlying: connection, namedStatements: endpoint.usesPreparedStatements))
            shelf.put(lease, connection: connection)
            return result
        } catch {
            // Straight back to the pool, as before the shelf: whatever went wrong may have left the connection unfit.
            await lease.release()
            throw error
        }
    }
}

extension Database {
    /// A connection from the pool, open when lent if the pool has one. The pool learns that a connection closed only
    /// when the close reaches it, and lends one given back before that (as the shelf gives back the closed ones it
    /// finds) to the next caller at once; on a loaded machine the close has taken longer than 50 ms to reach it. Such
    /// a connection goes straight back and another is asked for, waiting a little longer each time, until the acquire
    /// timeout; after that it is lent as it is, and its first statement fails as on any connection that closed.
    private func leaseOpenConnection() async throws -> (PooledLease, PostgresConnection) {
        let deadline = ContinuousClock.now + endpoint.acquireTimeout
        var pause = Duration.milliseconds(10)
        while true {
            let remaining = max(deadline - ContinuousClock.now, .milliseconds(1))
            let lease = PooledLease(client: client, acquireTimeout: remaining)
            let connection = try await lease.acquire()
            guard connection.isClosed, ContinuousClock.now + pause < deadline else { return (lease, connection) }
            await lease.release()
            // Time for the pool to take in the close it has not seen yet.
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(200))
        }
    }

    /// Runs one statement on a pooled connection, outside a transaction, and returns its rows: for the look-ups every
    /// request makes before its transaction (a token, a partner's key), where BEGIN / COMMIT would triple the round trips.
    package func rows<Statement: PostgresPreparedStatement>(of statement: Statement) async throws -> [Statement.Row]
    where Statement.Row: Sendable {
        try await withConnection { connection in try await connection.rows(of: statement, logger: logger) }
    }
}

extension Database {
    /// Answers when the database does, within `timeout`.
    /// - Throws: ``DatabaseError/unreachable`` when it does not.
    public func ping(timeout: Duration) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await withConnection { connection in
                    _ = try await connection.query("SELECT 1", logger: logger)
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DatabaseError(.unreachable, "the database did not answer within \(timeout)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}

extension Database {
    /// Connections on the shelf now (``ConnectionShelf``), for tests.
    package var shelvedConnections: Int { shelf.count.all }
    /// Of those, the ones still open.
    package var shelvedConnectionsOpen: Int { shelf.count.open }
}
