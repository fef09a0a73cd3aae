import Logging
import PostgresNIO
import ServiceLifecycle

/// Hears every change to the control plane on a connection of its own (`LISTEN cds_control_plane`, which the control
/// plane's tables notify when a change commits) and empties the server's ``ControlPlaneCache``: a token revoked, an
/// account disabled or a grant changed through any server or `cds-admin` stops working here within a second.
///
/// While the connection is lost the cache keeps no token, so that no request is let in on a verdict that a missed
/// change would have withdrawn; the listener connects again every `retryDelay`.
public struct ControlPlaneListener: Service {
    public static let channel = "cds_control_plane"

    let database: Database
    let cache: ControlPlaneCache
    let retryDelay: Duration

    public init(database: Database, cache: ControlPlaneCache, retryDelay: Duration = .seconds(1)) {
        self.database = database
        self.cache = cache
        self.retryDelay = retryDelay
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await listen()
                } catch {
                    database.logger.warning(
                        "lost the control plane's notifications; tokens are looked up on every request until they are back",
                        metadata: ["error": "\(String(reflecting: error))"]
                    )
                }
                cache.setListening(false)
                try? await Task.sleep(for: retryDelay)
            }
        }
    }

    /// Listens until the connection ends, the cache trusted from the moment `LISTEN` is in force.
    private func listen() async throws {
        let connection = try await PostgresConnection.connect(
            configuration: try database.endpoint.connectionConfiguration(),
            id: 0,
            logger: database.logger
        )
        do {
            try await connection.listen(on: Self.channel) { notifications in
                cache.setListening(true)
                for try await _ in notifications { cache.invalidate() }
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }
}
