import CDSDatabase
import Foundation
import Hummingbird

/// The administrative API: `/v1/...` behind bearer-token authentication, and its OpenAPI document at
/// `/openapi.json`.
///
/// Every request runs in one transaction whose tenant scope is the set of districts the caller's grants
/// reach; row-level security filters the rows, and each route checks its permission on the target unit.
public struct AdminAPI: Sendable {
    let database: Database
    let controlPlane: ControlPlane
    let reference: AccessReference
    let buckets: TokenBuckets?
    let traffic: PublicTraffic
    let modules: [any AdminRoutes]

    /// - Parameters:
    ///   - database: a pool as the application role.
    ///   - rateLimit: requests per token, or nil for none.
    ///   - traffic: the limits on failed token look-ups per client address.
    ///   - modules: other modules' staff routes, behind the same authentication.
    public init(database: Database, rateLimit: RateLimit?, traffic: PublicTraffic, modules: [any AdminRoutes] = []) {
        self.database = database
        self.controlPlane = ControlPlane(database: database)
        self.reference = AccessReference(controlPlane: controlPlane)
        self.buckets = rateLimit.map(TokenBuckets.init)
        self.traffic = traffic
        self.modules = modules
    }

    /// Adds the OpenAPI document and the `/v1` routes.
    public func addRoutes(to router: Router<AdminRequestContext>) {
        OpenAPIController().addRoutes(to: router)
        let v1 = router.group("v1").add(
            middleware: BearerAuthenticator(controlPlane: controlPlane, reference: reference, buckets: buckets, traffic: traffic)
        )
        MeController().addRoutes(to: v1)
        UnitsController(database: database).addRoutes(to: v1)
        HamletWrites(database: database).addRoutes(to: v1)
        TeamsController(database: database).addRoutes(to: v1)
        TeamWrites(database: database).addRoutes(to: v1)
        MembersController(database: database).addRoutes(to: v1)
        MemberWrites(database: database).addRoutes(to: v1)
        MemberImport(database: database).addRoutes(to: v1)
        HamletImport(database: database).addRoutes(to: v1)
        TrainingsController(database: database).addRoutes(to: v1)
        TrainingWrites(database: database).addRoutes(to: v1)
        AttendanceWrites(database: database).addRoutes(to: v1)
        ActivitiesController(database: database).addRoutes(to: v1)
        ActivityWrites(database: database).addRoutes(to: v1)
        ReportsController(database: database).addRoutes(to: v1)
        UsersController(controlPlane: controlPlane).addRoutes(to: v1)
        AuditController(database: database).addRoutes(to: v1)
        GrantsController(controlPlane: controlPlane).addRoutes(to: v1)
        SyncClientsController(controlPlane: controlPlane).addRoutes(to: v1)
        RolesController(controlPlane: controlPlane).addRoutes(to: v1)
        TokensController(controlPlane: controlPlane).addRoutes(to: v1)
        for module in modules { module.addRoutes(to: v1) }
    }
}

/// Staff routes that another module (the feedback module) adds under `/v1`, behind the bearer authentication:
/// their handlers find the caller in the context, as the admin API's own do.
public protocol AdminRoutes: Sendable {
    func addRoutes(to group: RouterGroup<AdminRequestContext>)
}

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
    func withCallerScope<Result: Sendable>(
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
    let result: Result
}
