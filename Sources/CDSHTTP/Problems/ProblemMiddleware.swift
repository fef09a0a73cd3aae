import CDSDatabase
import Hummingbird
import Logging

/// Turns every error of the HTTP listener into a problem document. Errors that are not problems are logged in full
/// (`String(reflecting:)`) and answered with a generic 500: a database error's text never reaches a client. A database
/// that cannot be reached is a 503 with `Retry-After`.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    package let routes: RouteTable

    /// - Parameter routes: the router's routes, to answer 405 for a known path called with another method.
    public init(routes: RouteTable) {
        self.routes = routes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw Self.problem(for: error, request: request, logger: context.logger, routes: routes)
        }
    }

    /// The problem an error of a route stands for, and the log line a fault of the server's deserves: every surface
    /// that answers errors (this middleware's problem+json, the console's pages) maps them the same way.
    /// - Parameter routes: the router's routes, for a 405 where a path is known under other methods; nil for none.
    package static func problem(for error: any Error, request: Request, logger: Logger, routes: RouteTable?) -> ProblemDetails {
        switch error {
        case let problem as ProblemDetails:
            return problem
        case let error as HTTPError where error.status == .notFound:
            let allowed = routes?.allowedMethods(for: request.uri.path) ?? []
            guard !allowed.isEmpty else {
                return ProblemDetails(
                    "not-found",
                    title: "Not found",
                    status: .notFound,
                    detail: "no route for \(request.method) \(request.uri.path)"
                )
            }
            return ProblemDetails(
                "method-not-allowed",
                title: "Method not allowed",
                status: .methodNotAllowed,
                detail: "\(request.uri.path) answers \(allowed.joined(separator: ", "))",
                headers: [.allow: allowed.joined(separator: ", ")]
            )
        case let error as HTTPError:
            return ProblemDetails("http-\(error.status.code)", title: error.status.reasonPhrase, status: error.status, detail: error.body)
        case let error as any HTTPResponseError:
            return ProblemDetails("http-\(error.status.code)", title: error.status.reasonPhrase, status: error.status, detail: nil)
        case _ where DatabaseError.isUnstorableText(error):
            return ProblemDetails.badRequest("a text holds a character that cannot be stored (such as U+0000); nothing was changed")
        default:
            if let unavailable = DatabaseError.unavailable(error) {
                logger.warning("database unavailable", metadata: ["error": "\(unavailable)", "cause": "\(unavailable.cause ?? "")"])
                return ProblemDetails.databaseUnavailable
            }
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return ProblemDetails.internalError
        }
    }
}
