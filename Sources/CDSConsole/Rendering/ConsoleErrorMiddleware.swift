import CDSDatabase
import CDSHTTP
import Hummingbird
import Logging

/// The console's errors as pages, not problem documents: what a route did not answer itself (a malformed form, a
/// database that is down, a fault of the server's) is shown in Vietnamese, with the status it stands for. A
/// server fault is logged in full and shown without its text.
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as ProblemDetails {
            return pages.problemPage(problem, frame: nil, language: "vi")
        } catch let error as HTTPError {
            let problem = ProblemDetails(
                error.status == .notFound ? "not-found" : "http-\(error.status.code)",
                title: error.status.reasonPhrase,
                status: error.status,
                detail: error.body
            )
            return pages.problemPage(problem, frame: nil, language: "vi")
        } catch {
            if let unavailable = DatabaseError.unavailable(error) {
                context.logger.warning("database unavailable", metadata: ["error": "\(unavailable)"])
                return pages.problemPage(ProblemDetails.databaseUnavailable, frame: nil, language: "vi")
            }
            context.logger.error("console request failed", metadata: ["error": "\(String(reflecting: error))"])
            return pages.problemPage(ProblemDetails.internalError, frame: nil, language: "vi")
        }
    }
}
