import CDSDatabase
import CDSHTTP
import Hummingbird

/// Accepts `Authorization: Bearer <token>` on `/v1` routes; anything else is a 401 with `WWW-Authenticate`.
struct BearerAuthenticator: RouterMiddleware {
    typealias Context = APIRequestContext

    let controlPlane: ControlPlane
    let reference: AccessReference
    /// nil: no rate limit.
    let buckets: TokenBuckets?
    /// The limit on failed look-ups per client address.
    let traffic: PublicTraffic

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw ProblemDetails.unauthorized("send a bearer token: Authorization: Bearer cds_…")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw ProblemDetails.unauthorized("send a bearer token: Authorization: Bearer cds_…")
        }
        // A look-up costs the database a query: an address that keeps sending unknown tokens is stopped before it.
        try traffic.checkFailures(from: context.clientAddress)
        guard let principal = try await controlPlane.authenticate(token: String(parts[1])) else {
            traffic.recordFailure(from: context.clientAddress)
            throw ProblemDetails.unauthorized("the token is unknown, expired or revoked")
        }
        if let wait = buckets?.take(BearerToken.sha256(String(parts[1]))) {
            throw ProblemDetails.tooManyRequests("this token may make \(buckets?.limit.perMinute ?? 0) requests a minute", retryAfter: wait)
        }
        var context = context
        context.identify(try await reference.caller(principal, context: context))
        return try await next(request, context)
    }
}
