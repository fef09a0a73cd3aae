import PostgresNIO
import ServiceLifecycle

/// cds-server's pool as a service: PostgresNIO's client, and at shutdown the shelf's connections given back first, so
/// that the pool can close them (it is the group's last service, so no request needs them any more).
struct PoolService: Service {
    let client: PostgresClient
    let shelf: ConnectionShelf

    func run() async throws {
        await withGracefulShutdownHandler {
            await client.run()
        } onGracefulShutdown: {
            Task { await shelf.close() }
        }
    }
}
