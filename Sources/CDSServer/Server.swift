import CDSAdminAPI
import CDSDatabase
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
        let target = try await DatabaseTarget.prepare(configuration.database, logger: logger)
        if let embedded = target.embedded {
            logger.info(
                "using the embedded PostgreSQL",
                metadata: ["cds.data_dir": "\(embedded.dataDirectory.path)", "cds.port": "\(embedded.port)"]
            )
        } else {
            logger.info("using PostgreSQL", metadata: ["cds.database": "\(target.application)"])
        }
        do {
            let (database, pool) = Database.makeService(target.application, logger: logger)
            let application = buildApplication(configuration: configuration, database: database, logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: pool), .init(service: application)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            await target.close()
            throw ConfigurationError(
                "cannot listen on \(configuration.httpAddress): the address is in use. Stop the other server or set CDS_HTTP_ADDR."
            )
        } catch {
            await target.close()
            throw error
        }
        await target.close()
        logger.info("stopped")
    }

    /// Every route of the HTTP listener: health endpoints, the admin API (and, to come, the partner API).
    public static func buildRouter(database: Database, rateLimit: RateLimit? = nil) -> Router<AdminRequestContext> {
        let router = Router(context: AdminRequestContext.self)
        let routes = RouteTable()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: ProblemMiddleware(routes: routes))
        HealthController(database: database).addRoutes(to: router)
        AdminAPI(database: database, rateLimit: rateLimit).addRoutes(to: router)
        routes.load(from: router)
        return router
    }

    /// The HTTP application.
    public static func buildApplication(
        configuration: ServerConfiguration,
        database: Database,
        logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: buildRouter(database: database, rateLimit: configuration.rateLimit),
            configuration: .init(address: .hostname(configuration.httpAddress.host, port: configuration.httpAddress.port), serverName: "cds-server"),
            onServerRunning: { channel in
                logger.info("listening", metadata: ["cds.http": "\(channel.localAddress?.description ?? "?")"])
            },
            logger: logger
        )
    }
}
