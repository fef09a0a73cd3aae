import CDSDatabase
import CDSHTTP
import Hummingbird

/// Answers every failure under `/open311/v2` in GeoReport's error format, in the format the resource asked for
/// (XML when it named none): a client of the specification parses nothing else. Unexpected errors are logged in
/// full and answered 500 without their text.
struct Open311ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let format = request.uri.path.split(separator: "/").last.flatMap { Open311Format.split($0)?.format } ?? .xml
        do {
            return try await next(request, context)
        } catch let error as Open311Error {
            return try error.response(format: format)
        } catch let problem as ProblemDetails {
            var error = Open311Error(problem.status, problem.detail ?? problem.title)
            error.retryAfter = problem.retryAfter
            return try error.response(format: format)
        } catch let error as HTTPError {
            return try Open311Error(error.status, error.body ?? error.status.reasonPhrase).response(format: format)
        } catch  where DatabaseError.isUnstorableText(error) {
            return try Open311Error(.badRequest, "a text holds a character that cannot be stored (such as U+0000)").response(format: format)
        } catch  where DatabaseError.unavailable(error) != nil {
            var unavailable = Open311Error(.serviceUnavailable, "the service is unavailable; retry shortly")
            unavailable.retryAfter = 5
            return try unavailable.response(format: format)
        } catch {
            context.logger.error("open311 request failed", metadata: ["error": "\(String(reflecting: error))"])
            return try Open311Error(.internalServerError, "the server failed to answer; try again later").response(format: format)
        }
    }
}
