import CDSHTTP
import Hummingbird

/// The console's errors as pages, not problem documents: what a route did not answer itself (a malformed form, a
/// database that is down, a fault of the server's) is shown in Vietnamese with the status it stands for, mapped and
/// logged as ``ProblemMiddleware`` maps and logs them for the API.
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = ProblemMiddleware<Context>.problem(for: error, request: request, logger: context.logger, routes: nil)
            return pages.problemPage(problem, frame: nil, language: "vi")
        }
    }
}
