import CDSDatabase
import Hummingbird

/// Accepts `Authorization: Bearer <token>` on `/v1` routes; anything else is a 401 with `WWW-Authenticate`.
struct BearerAuthenticator: RouterMiddleware {
    typealias Context = AdminRequestContext

    let controlPlane: ControlPlane
    let reference: AccessReference

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw ProblemDetails.unauthorized("send a bearer token: Authorization: Bearer cds_…")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
            let principal = try await controlPlane.authenticate(token: String(parts[1]))
        else {
            throw ProblemDetails.unauthorized("the token is unknown, expired or revoked")
        }
        var context = context
        context.caller = Caller(
            principal: principal,
            policy: try await reference.policy(for: principal),
            actor: principal.auditActor.serving(request: context.id)
        )
        context.logger[metadataKey: "cds.principal"] = "\(principal.auditActor)"
        return try await next(request, context)
    }
}
