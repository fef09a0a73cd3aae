import Metrics

/// The connection pool's use, for `/metrics`: connections leased now (`cds_db_pool_connections_in_use`), the pool's
/// size (`cds_db_pool_connections_max`), and how long a lease waited for a connection (`cds_db_pool_wait_duration`).
/// A pool whose connections are all in use and whose waits grow is what to look at before the database itself.
struct PoolMetrics: Sendable {
    let inUse: Meter
    let wait: Timer

    init(database: String, maximumConnections: Int) {
        let dimensions = [("database", database)]
        inUse = Meter(label: "cds_db_pool_connections_in_use", dimensions: dimensions)
        wait = Timer(label: "cds_db_pool_wait_duration", dimensions: dimensions, preferredDisplayUnit: .seconds)
        Gauge(label: "cds_db_pool_connections_max", dimensions: dimensions).record(maximumConnections)
    }
}
