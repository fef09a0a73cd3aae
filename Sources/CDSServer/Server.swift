import CDSAdminAPI
import CDSConsole
import CDSDatabase
import CDSFeedback
import CDSHTTP
import CDSRosterSync
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `cds-server`: the database made ready, then the HTTP listener and the connection pool in one
/// service group, shut down gracefully on SIGTERM / SIGINT.
public enum Server {
    /// Runs until a termination signal; stops the embedded cluster if this process started it.
    /// - Throws: a ``ConfigurationError`` or a database error with what to do, before anything listens.
    public static func run(configuration: ServerConfiguration, logger: Logger) async throws {
        // Before the first metric is made: one made before swift-metrics is bootstrapped records nothing, ever.
        _ = ServerMetrics.registry
        let target = try await DatabaseTarget.open(configuration.database, logger: logger)
        do {
            if target.embedded == nil, target.owner != nil {
                logger.notice(
                    "migrating as the database owner before serving: run `cds-server migrate` as its own step instead, and keep CDS_DATABASE_OWNER_URL out of the serving process's settings (ops/README.md)"
                )
            }
            try await whilePreparing(configuration: configuration, logger: logger) {
                try await target.migrateAndLoadReference(logger: logger)
                try await Database.withDatabase(target.application, logger: logger) { database in try await database.checkEngine() }
            }
            if let embedded = target.embedded {
                logger.info(
                    "using the embedded PostgreSQL",
                    metadata: ["cds.data_dir": "\(embedded.dataDirectory.path)", "cds.port": "\(embedded.port)"]
                )
            } else {
                logger.info(
                    "using PostgreSQL",
                    metadata: ["cds.database": "\(target.application)", "cds.engine": "\(target.application.engine.rawValue)"]
                )
            }
            try await serve(configuration: configuration, on: target, logger: logger)
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            await target.close()
            throw ConfigurationError(
                "cannot listen on \(configuration.httpAddress) (CDS_HTTP_ADDR) or \(configuration.metricsAddress) (CDS_METRICS_ADDR): an address is in use. Stop the other server or set another address."
            )
        } catch {
            await target.close()
            throw error
        }
        await target.close()
        logger.info("stopped")
    }

    /// The pool, the HTTP and gRPC listeners and the workers in one service group, until a termination signal.
    static func serve(configuration: ServerConfiguration, on target: DatabaseTarget, logger: Logger) async throws {
        let (database, pool) = Database.makeService(target.application, logger: logger)
        let cache = ControlPlaneCache()
        let application = try buildApplication(configuration: configuration, database: database, logger: logger, cache: cache)
        let metrics = buildMetricsApplication(configuration: configuration, logger: logger)
        let rosterSync = try makeRosterSync(configuration: configuration, database: database, logger: logger)
        let webhooks = WebhookDelivery(database: database, settings: configuration.webhooks, logger: logger)
        let overdue = OverdueReportsGauge(database: database, logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: pool), .init(service: application), .init(service: metrics), .init(service: rosterSync),
                .init(service: webhooks), .init(service: overdue), .init(service: ControlPlaneListener(database: database, cache: cache)),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        // The backstop: a call stuck where cancellation cannot reach (a dependency's bug) must not keep the process up
        // until systemd's SIGKILL (TimeoutStopSec=35); the group ends it, naming the cause, 5 s after cancelling.
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }

    /// Runs `prepare` (migrations, reference data) with the HTTP listener up but not ready (``PreparingController``):
    /// `/readyz` answers 503 while the schema changes, rather than nothing at all. The listener closes when `prepare`
    /// returns, and the full one takes its address.
    /// - Parameter onListening: called with the listener's port once it listens.
    static func whilePreparing(
        configuration: ServerConfiguration,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in },
        _ prepare: () async throws -> Void
    ) async throws {
        let listener = Application(
            router: PreparingController.router(),
            configuration: .init(
                address: .hostname(configuration.httpAddress.host, port: configuration.httpAddress.port),
                serverName: "cds-server"
            ),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.httpAddress.port) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [listener], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            try await prepare()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// The roster sync's gRPC server on `CDS_GRPC_ADDR`: with the configured certificates, or with the development
    /// material, made in `CDS_DATA_DIR/tls/` on first start, whose client pair is registered as `dev-province`.
    static func makeRosterSync(configuration: ServerConfiguration, database: Database, logger: Logger) throws -> RosterSyncServer {
        let address = configuration.grpcAddress
        if let tls = configuration.syncTLS {
            return try RosterSyncServer(host: address.host, port: address.port, tls: tls, limits: configuration.syncLimits, database: database)
        }
        let directory = configuration.database.dataDirectory.appendingPathComponent("tls")
        let development = try DevelopmentCertificates.ensure(in: directory)
        logger.notice(
            "roster sync over TLS with development certificates (CDS_TLS_CERT, CDS_TLS_KEY and CDS_TLS_CLIENT_CA unset)",
            metadata: ["cds.tls": "\(directory.path)", "cds.grpc": "\(address)"]
        )
        return try RosterSyncServer(
            host: address.host,
            port: address.port,
            tls: SyncTLSFiles(development: development),
            limits: configuration.syncLimits,
            database: database,
            developmentClient: try development.clientFingerprint()
        )
    }

    /// Every route of the HTTP listener: health endpoints, the admin API, the partner feedback API, the web console.
    /// - Parameters:
    ///   - cache: what the admin API keeps of the control plane, trusted while a ``ControlPlaneListener`` hears its
    ///     changes; nil to look every token up.
    ///   - passwordCost: bcrypt's cost for console passwords (tests make it cheap).
    public static func buildRouter(
        database: Database,
        rateLimit: RateLimit? = nil,
        traffic: PublicTraffic,
        allowLoopbackWebhooks: Bool = false,
        cache: ControlPlaneCache? = nil,
        passwordCost: UInt8 = ControlPlane.standardPasswordCost
    ) throws -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        let routes = RouteTable()
        // Outermost: the duration and status of every request by route, after the problem middleware's answer.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ClientAddressMiddleware(trustedProxies: traffic.limits.trustedProxies))
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ProblemMiddleware(routes: routes))
        HealthController(database: database, traffic: traffic).addRoutes(to: router)
        let feedback = FeedbackAPI(database: database, traffic: traffic, allowLoopbackWebhooks: allowLoopbackWebhooks)
        let admin = AdminAPI(database: database, rateLimit: rateLimit, traffic: traffic, cache: cache, modules: feedback.staffRoutes)
        admin.addRoutes(to: router)
        feedback.addRoutes(to: router)
        let controlPlane = ControlPlane(database: database, cache: cache, passwordCost: passwordCost)
        try WebConsole(admin: admin, controlPlane: controlPlane, trustedProxies: traffic.limits.trustedProxies).addRoutes(to: router)
        routes.load(from: router)
        return router
    }

    /// The HTTP application.
    /// - Parameters:
    ///   - traffic: the public traffic's limits in force; made from the configuration unless given.
    ///   - cache, passwordCost: as ``buildRouter(database:rateLimit:traffic:allowLoopbackWebhooks:cache:passwordCost:)``.
    public static func buildApplication(
        configuration: ServerConfiguration,
        database: Database,
        logger: Logger,
        traffic: PublicTraffic? = nil,
        cache: ControlPlaneCache? = nil,
        passwordCost: UInt8 = ControlPlane.standardPasswordCost
    ) throws -> some ApplicationProtocol {
        Application(
            router: try buildRouter(
                database: database,
                rateLimit: configuration.rateLimit,
                traffic: traffic ?? PublicTraffic(configuration.publicTraffic),
                allowLoopbackWebhooks: configuration.webhooks.allowLoopback,
                cache: cache,
                passwordCost: passwordCost
            ),
            configuration: .init(address: .hostname(configuration.httpAddress.host, port: configuration.httpAddress.port), serverName: "cds-server"),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["cds.http": "\(channel.localAddress?.description ?? "?")"])
            },
            logger: logger
        )
    }

    /// `/metrics` alone, on `CDS_METRICS_ADDR`.
    public static func buildMetricsRouter() -> Router<BasicRequestContext> {
        let router = Router()
        MetricsController(registry: ServerMetrics.registry).addRoutes(to: router)
        return router
    }

    /// The metrics listener.
    static func buildMetricsApplication(configuration: ServerConfiguration, logger: Logger) -> some ApplicationProtocol {
        Application(
            router: buildMetricsRouter(),
            configuration: .init(
                address: .hostname(configuration.metricsAddress.host, port: configuration.metricsAddress.port),
                serverName: "cds-server"
            ),
            onServerRunning: { channel in
                logger.info("serving metrics", metadata: ["cds.metrics": "\(channel.localAddress?.description ?? "?")"])
            },
            logger: logger
        )
    }
}
