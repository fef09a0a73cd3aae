import CDSDatabase

extension Database {
    /// One transaction in the caller's scope, as the caller.
    package func withCallerScope<Result>(
        _ caller: Caller,
        plans: StatementPlans = .cached,
        _ body: (borrowing TenantTransaction) async throws -> sending Result
    ) async throws -> sending Result {
        try await withTenantScope(caller.scope, actor: caller.actor, plans: plans, body)
    }

    /// Like ``withCallerScope(_:plans:_:)``, but rolled back instead of committed when `dryRun`: a dry run does all the
    /// work (the database's constraints checked too) and leaves nothing behind.
    package func withCallerScope<Result: Sendable>(
        _ caller: Caller,
        dryRun: Bool,
        _ body: (borrowing TenantTransaction) async throws -> sending Result
    ) async throws -> Result {
        do {
            return try await withCallerScope(caller) { transaction in
                let result = try await body(transaction)
                if dryRun { throw DryRunRolledBack(result: result) }
                return result
            }
        } catch let rolledBack as DryRunRolledBack<Result> {
            return rolledBack.result
        }
    }
}

/// Thrown out of a dry run's transaction so that it rolls back, carrying what the run found.
private struct DryRunRolledBack<Result: Sendable>: Error {
    package let result: Result
}
