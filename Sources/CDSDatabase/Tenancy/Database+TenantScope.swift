import CDSCore
import Logging
import PostgresNIO

extension Database {
    /// Runs `body` in one transaction scoped to `scope`, as `actor`.
    ///
    /// The scope, the actor and its request id are set with `SET LOCAL`: they end with the transaction, so a pooled
    /// connection (pgbouncer in transaction mode included) never carries them over.
    /// - Throws: what `body` throws; the transaction is then rolled back.
    /// - Parameters:
    ///   - snapshot: read only, on one snapshot (REPEATABLE READ): for reads that must agree with each other over
    ///     several statements, as the pages of a roster pull.
    ///   - plans: how the transaction's kept statements are planned (``StatementPlans``).
    @discardableResult
    public func withTenantScope<Result>(
        _ scope: TenantScope,
        actor: AuditActor,
        snapshot: Bool = false,
        plans: StatementPlans = .cached,
        _ body: (borrowing TenantTransaction) async throws -> sending Result
    ) async throws -> sending Result {
        try await withTransaction(snapshot: snapshot) { connection in
            try await connection.rows(of: ScopeSettingsStatement(scope: scope, actor: actor, plans: plans), logger: logger)
            var logger = self.logger
            logger[metadataKey: "cds.tenant"] = "\(scope)"
            logger[metadataKey: "cds.principal"] = "\(actor)"
            return try await body(TenantTransaction(connection: connection, scope: scope, engine: endpoint.engine, logger: logger))
        }
    }
}

extension Database {
    /// Every tenant: the scope of province-wide work (operator commands, province staff).
    public func provinceScope() async throws -> TenantScope {
        try await withTransaction { connection in
            var tenants: [TenantID] = []
            for try await id in try await connection.query("SELECT tenant_id FROM cds.tenants", logger: logger).decode(Int.self) {
                tenants.append(TenantID(id))
            }
            return TenantScope(tenants)
        }
    }
}
