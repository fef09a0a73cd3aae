import Hummingbird
import Logging

/// One log line per request, after its response: method, route (the template, never the query or the path's values,
/// which can carry a name being searched), status and duration, with the request id and, once authenticated, the
/// principal and the tenant scope. Inside ``RequestIDMiddleware`` (for a client's own request id) and outside
/// ``ProblemMiddleware`` (for the status an error became).
public struct AccessLogMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, started: started)
            return response
        } catch {
            log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, started: started)
            throw error
        }
    }

    package func log(_ request: Request, _ context: Context, status: Int, started: ContinuousClock.Instant) {
        let milliseconds = (ContinuousClock.now - started) / .microseconds(1) / 1000
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method)",
            "http.route": "\(context.endpointPath ?? "unmatched")",
            "http.status": "\(status)",
            "duration_ms": "\((milliseconds * 100).rounded() / 100)",
        ]
        if let principal = context.note.principal { metadata["cds.principal"] = "\(principal)" }
        if let tenant = context.note.tenant { metadata["cds.tenant"] = "\(tenant)" }
        context.logger.log(level: status >= 500 && status != 503 ? .error : .info, "request", metadata: metadata)
    }
}
