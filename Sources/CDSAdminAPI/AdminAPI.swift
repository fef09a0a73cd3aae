import CDSDatabase
import CDSHTTP
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
    let modules: [any StaffRoutes]

    /// - Parameters:
    ///   - database: a pool as the application role.
    ///   - rateLimit: requests per token, or nil for none.
    ///   - traffic: the limits on failed token look-ups per client address.
    ///   - cache: what the server keeps of the control plane (verified tokens, the unit tree and roles), or nil.
    ///   - modules: other modules' staff routes, behind the same authentication.
    public init(
        database: Database,
        rateLimit: RateLimit?,
        traffic: PublicTraffic,
        cache: ControlPlaneCache? = nil,
        modules: [any StaffRoutes] = []
    ) {
        self.database = database
        self.controlPlane = ControlPlane(database: database, cache: cache)
        self.reference = AccessReference(controlPlane: controlPlane, cache: cache)
        self.buckets = rateLimit.map(TokenBuckets.init)
        self.traffic = traffic
        self.modules = modules
    }

    /// Adds the OpenAPI document and the `/v1` routes.
    public func addRoutes(to router: Router<APIRequestContext>) {
        OpenAPIController().addRoutes(to: router)
        let v1 = router.group("v1").add(
            middleware: BearerAuthenticator(controlPlane: controlPlane, reference: reference, buckets: buckets, traffic: traffic)
        )
        addStaffRoutes(to: v1)
    }

    /// The `/v1` routes without their authenticator: for a client in this process that names the caller itself
    /// (the web console, through ``caller(_:context:)``), so that it runs the API's own authorisation, scope and audit.
    public func addStaffRoutes(to v1: RouterGroup<APIRequestContext>) {
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

    /// The caller that `principal`, authenticated by other means than a bearer token, is in the request `context`.
    public func caller(_ principal: AuthenticatedPrincipal, context: APIRequestContext) async throws -> Caller {
        try await reference.caller(principal, context: context)
    }
}
