import CDSCore
import CDSDatabase
import Logging
import Metrics
import ServiceLifecycle

/// `cds_feedback_overdue` per district: open reports past their due time and not yet answered (the feedback
/// report's own definition of overdue), counted every `interval` by a read over the province. A gauge, not a
/// counter: reports leave it when they are answered.
public struct OverdueReportsGauge: Service {
    let database: Database
    let interval: Duration
    let logger: Logger

    public init(database: Database, interval: Duration = .seconds(60), logger: Logger) {
        self.database = database
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await measure()
                } catch {
                    logger.debug("overdue reports not counted", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Counts once and records a value for every district, zero included.
    public func measure() async throws {
        let scope = try await database.provinceScope()
        let counts = try await database.withTenantScope(scope, actor: AuditActor(kind: "worker", name: "metrics")) { transaction in
            try await transaction.rows(
                """
                SELECT tenant_id, count(*)::int FROM cds.feedback_reports
                WHERE answered_at IS NULL AND due_at < now() GROUP BY tenant_id
                """,
                as: (Int, Int).self
            )
        }
        let overdue = Dictionary(uniqueKeysWithValues: counts)
        for district in scope.tenants {
            Gauge(label: "cds_feedback_overdue", dimensions: [("district_code", "\(district.rawValue)")])
                .record(overdue[district.rawValue] ?? 0)
        }
    }
}
