import CDSAdminAPI
import CDSDatabase
import Hummingbird

/// The partner-facing surfaces of the feedback module on the HTTP listener: Open311 GeoReport v2 under
/// `/open311/v2` and the native partner API under `/v1/partner`.
public struct FeedbackAPI: Sendable {
    let database: Database
    let gate: PartnerGate

    /// - Parameter database: a pool as the application role.
    public init(database: Database) {
        self.database = database
        self.gate = PartnerGate(controlPlane: ControlPlane(database: database))
    }

    /// The handlers' routes, for the admin API to add behind its authentication.
    public var staffRoutes: any AdminRoutes { FeedbackStaffController(database: database) }

    public func addRoutes(to router: Router<AdminRequestContext>) {
        Open311Controller(database: database, gate: gate).addRoutes(to: router)
        PartnerController(database: database, gate: gate).addRoutes(to: router)
    }
}
