import CDSCore
import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: `application/problem+json` with a stable `type`, a `title`, the `status`, a `detail`
/// for people and, for validation problems, the fields at fault.
public struct ProblemDetails: Error, HTTPResponseError, Codable, Sendable {
    /// A URI reference under the project's namespace, e.g. `https://cds.sonla.gov.vn/problems/not-found`.
    public let type: String
    public let title: String
    public let statusCode: Int
    public let detail: String?
    public let errors: [ValidationError]?
    private let extraHeaders: HTTPFields

    public var status: HTTPResponse.Status { .init(code: statusCode) }

    /// A header the problem's response carries (`Retry-After`, `Allow`), for a surface that answers it otherwise.
    package func headerValue(_ name: HTTPField.Name) -> String? {
        extraHeaders[name]
    }

    /// A problem as another part of this server answered it (the console reads the admin API's in process).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        title = try container.decode(String.self, forKey: .title)
        statusCode = try container.decode(Int.self, forKey: .statusCode)
        detail = try container.decodeIfPresent(String.self, forKey: .detail)
        errors = try container.decodeIfPresent([ValidationError].self, forKey: .errors)
        extraHeaders = [:]
    }

    package enum CodingKeys: String, CodingKey {
        case type, title, detail, errors
        case statusCode = "status"
    }

    package init(
        _ slug: String,
        title: String,
        status: HTTPResponse.Status,
        detail: String?,
        errors: [ValidationError]? = nil,
        headers: HTTPFields = [:]
    ) {
        self.type = "https://cds.sonla.gov.vn/problems/\(slug)"
        self.title = title
        self.statusCode = status.code
        self.detail = detail
        self.errors = errors
        self.extraHeaders = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = extraHeaders
        headers[.contentType] = "application/problem+json"
        let body = try JSONEncoder().encode(self)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    package static func unauthorized(_ detail: String) -> Self {
        Self(
            "unauthorized",
            title: "Authentication required",
            status: .unauthorized,
            detail: detail,
            headers: [.wwwAuthenticate: #"Bearer realm="cds", error="invalid_token""#]
        )
    }

    package static func forbidden(_ detail: String) -> Self {
        Self("forbidden", title: "Permission denied", status: .forbidden, detail: detail)
    }

    /// Also the answer for another district's objects: they do not exist for this caller.
    package static func notFound(_ detail: String) -> Self {
        Self("not-found", title: "Not found", status: .notFound, detail: detail)
    }

    package static func badRequest(_ detail: String, errors: [ValidationError]? = nil) -> Self {
        Self("bad-request", title: "Bad request", status: .badRequest, detail: detail, errors: errors)
    }

    /// The change contradicts the current state (a unit that already has an active team, a second leader).
    package static func conflict(_ detail: String) -> Self {
        Self("conflict", title: "Conflict", status: .conflict, detail: detail)
    }

    /// A well-formed value that cannot be used here, with the field at fault.
    package static func invalidValue(field: String, code: ValidationError.Code = .inconsistent, _ message: String) -> Self {
        Self(
            "invalid-value",
            title: "Invalid value",
            status: .unprocessableContent,
            detail: "\(field) \(message)",
            errors: [.init(field: field, code: code, message: message)]
        )
    }

    /// Over a limit: retry after `wait`.
    package static func tooManyRequests(_ detail: String, retryAfter wait: Duration) -> Self {
        Self(
            "too-many-requests",
            title: "Too many requests",
            status: .tooManyRequests,
            detail: "\(detail); retry in \(wait.retryAfterSeconds) s",
            headers: [.retryAfter: String(wait.retryAfterSeconds)]
        )
    }

    /// The seconds of its `Retry-After`, for surfaces that answer in another format (Open311's error list).
    package var retryAfter: Int? {
        extraHeaders[.retryAfter].flatMap { Int($0) }
    }

    /// The database cannot be reached now; the client may retry (the request changed nothing: its transaction did
    /// not commit).
    package static let databaseUnavailable = unavailable(
        "unavailable",
        title: "Service unavailable",
        detail: "The database cannot be reached; retry shortly. Nothing was changed.",
        retryAfter: 5
    )

    /// A 503 the client may retry after `seconds`: the server cannot take the request now, and changed nothing.
    package static func unavailable(_ slug: String, title: String, detail: String, retryAfter seconds: Int) -> Self {
        Self(slug, title: title, status: .serviceUnavailable, detail: detail, headers: [.retryAfter: String(seconds)])
    }

    package static let internalError = Self(
        "internal",
        title: "Internal error",
        status: .internalServerError,
        detail: "The error has been logged."
    )
}
