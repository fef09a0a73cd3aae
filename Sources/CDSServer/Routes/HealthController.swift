import CDSAdminAPI
import CDSDatabase
import CDSHTTP
import Hummingbird

/// `/healthz` (the process is up) and `/readyz` (the database answers), for operators and load balancers. `/readyz`
/// costs a query, so it is counted per client address like every public read; it never waits for the public reads'
/// database share, which a flood can hold, lest the balancer take a serving instance out.
struct HealthController: Sendable {
    struct Status: ResponseEncodable {
        let status: String
    }

    let database: Database
    let traffic: PublicTraffic

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("healthz") { _, _ in Status(status: "ok") }
        router.group().add(middleware: PublicReadMiddleware(traffic: traffic, withinShare: false)).get("readyz") { _, context in
            do {
                try await database.ping(timeout: .seconds(2))
                return EditedResponse(status: .ok, response: Status(status: "ready"))
            } catch {
                context.logger.warning("not ready: the database does not answer", metadata: ["error": "\(String(reflecting: error))"])
                return EditedResponse(status: .serviceUnavailable, response: Status(status: "database unavailable"))
            }
        }
    }
}
