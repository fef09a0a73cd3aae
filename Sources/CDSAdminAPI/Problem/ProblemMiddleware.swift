import CDSDatabase
import Hummingbird
import Logging

/// Turns every error into a problem document. Errors that are not problems are logged in full
/// (`String(reflecting:)`) and answered with a generic 500: a database error's text never reaches a client.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            throw problem
        } catch let error as HTTPError {
            throw ProblemDetails(
                "http-\(error.status.code)",
                title: error.status.reasonPhrase,
                status: error.status,
                detail: error.body
            )
        } catch let error as any HTTPResponseError {
            throw ProblemDetails("http-\(error.status.code)", title: error.status.reasonPhrase, status: error.status, detail: nil)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            throw ProblemDetails.internalError
        }
    }
}
