import CDSAdminAPI
import CDSHTTP
import Hummingbird

/// The HTTP listener while the database is being made ready (migrations, reference data), before the real routes
/// exist: `/healthz` says the process is up, `/readyz` and every other path answer 503, so that a load balancer keeps
/// its traffic on the instances that are ready.
enum PreparingController {
    static func router() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: PreparingRefusal())
        router.get("healthz") { _, _ in HealthController.Status(status: "ok") }
        router.get("readyz") { _, _ in
            EditedResponse(status: .serviceUnavailable, response: HealthController.Status(status: "migrating"))
        }
        return router
    }

    /// Every path the preparing listener does not serve: 503 with `Retry-After`, as problem+json.
    struct PreparingRefusal: RouterMiddleware {
        typealias Context = APIRequestContext
        static let served: Set<String> = ["/healthz", "/readyz"]

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            if Self.served.contains(request.uri.path) { return try await next(request, context) }
            throw ProblemDetails.unavailable(
                "unavailable",
                title: "Starting",
                detail: "the server is preparing its database; retry shortly",
                retryAfter: 5
            )
        }
    }
}
