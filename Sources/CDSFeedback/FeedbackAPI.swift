import CDSDatabase
import CDSHTTP
import Hummingbird

/// The partner-facing surfaces of the feedback module on the HTTP listener: Open311 GeoReport v2 under
/// `/open311/v2` and the native partner API under `/v1/partner`.
public struct FeedbackAPI: Sendable {
    let database: Database
    let gate: PartnerGate
    let catalogue: ReferenceCache<FeedbackCatalogue>
    /// Every district, for the public reads: read once a minute rather than on every call.
    let province: ReferenceCache<TenantScope>
    let traffic: PublicTraffic
    let allowLoopbackWebhooks: Bool

    /// - Parameters:
    ///   - database: a pool as the application role.
    ///   - traffic: the limits on public reads and failed key look-ups.
    ///   - allowLoopbackWebhooks: development only: partners may register webhook URLs on loopback.
    public init(database: Database, traffic: PublicTraffic, allowLoopbackWebhooks: Bool = false) {
        self.database = database
        self.gate = PartnerGate(controlPlane: ControlPlane(database: database), traffic: traffic)
        self.catalogue = ReferenceCache { try await FeedbackCatalogue.load(from: database) }
        self.province = ReferenceCache { try await database.provinceScope() }
        self.traffic = traffic
        self.allowLoopbackWebhooks = allowLoopbackWebhooks
    }

    /// The staff's routes (the handlers', the partner registry's), for the admin API to add behind its authentication.
    public var staffRoutes: [any StaffRoutes] {
        [
            FeedbackStaffController(database: database),
            FeedbackReportController(database: database),
            FeedbackCategoriesController(catalogue: catalogue),
            PartnersController(controlPlane: ControlPlane(database: database), allowLoopbackWebhooks: allowLoopbackWebhooks),
        ]
    }

    public func addRoutes(to router: Router<APIRequestContext>) {
        Open311Controller(database: database, gate: gate, catalogue: catalogue, province: province, traffic: traffic).addRoutes(to: router)
        PartnerController(database: database, gate: gate, catalogue: catalogue).addRoutes(to: router)
    }
}
