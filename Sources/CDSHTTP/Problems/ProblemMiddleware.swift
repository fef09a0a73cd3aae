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
        } catch let problem as ProblemDetails {
            throw problem
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.allowedMethods(for: request.uri.path)
            guard !allowed.isEmpty else {
                throw ProblemDetails("not-found", title: "Not found", status: .notFound, detail: "no route for \(request.method) \(request.uri.path)")
            }
            throw ProblemDetails(
                "method-not-allowed",
                title: "Method not allowed",
                status: .methodNotAllowed,
                detail: "\(request.uri.path) answers \(allowed.joined(separator: ", "))",
                headers: [(.allow, allowed.joined(separator: ", "))]
            )
        } catch let error as HTTPError {
            throw ProblemDetails(
                "http-\(error.status.code)",
                title: error.status.reasonPhrase,
                status: error.status,
                detail: error.body
            )
        } catch let error as any HTTPResponseError {
            throw ProblemDetails("http-\(error.status.code)", title: error.status.reasonPhrase, status: error.status, detail: nil)
        } catch  where DatabaseError.isUnstorableText(error) {
            throw ProblemDetails.badRequest("a text holds a character that cannot be stored (such as U+0000); nothing was changed")
        } catch {
            if let unavailable = DatabaseError.unavailable(error) {
                context.logger.warning("database unavailable", metadata: ["error": "\(unavailable)", "cause": "\(unavailable.cause ?? "")"])
                throw ProblemDetails.databaseUnavailable
            }
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            throw ProblemDetails.internalError
        }
    }
}
