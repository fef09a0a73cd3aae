import CDSDatabase
import Hummingbird

/// `/healthz` (the process is up) and `/readyz` (the database answers), for operators and load balancers.
struct HealthController: Sendable {
    struct Status: ResponseEncodable {
        let status: String
    }

    let database: Database

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("healthz") { _, _ in Status(status: "ok") }
        router.get("readyz") { _, context in
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
