import Hummingbird

/// Optimistic concurrency for every object that staff change: its version is the time of its last change in
/// microseconds, sent as the `ETag`; a change must send it back in `If-Match`, so that two officers cannot
/// overwrite each other's work unseen.
enum EntityVersion {
    /// The version of the row aliased `alias` (a table with `updated_at`), as SQL.
    static func expression(_ alias: String) -> String {
        "(extract(epoch from \(alias).updated_at) * 1000000)::bigint"
    }

    static func etag(_ version: Int64) -> String { "\"\(version)\"" }

    /// An object with its version as the `ETag`: 200, or 201 with its `Location` when it was just created.
    static func response<Body: ResponseEncodable>(_ body: Body, version: Int64, createdAt location: String? = nil) -> EditedResponse<Body> {
        var headers: HTTPFields = [.eTag: etag(version)]
        if let location { headers[.location] = location }
        return EditedResponse(status: location == nil ? .ok : .created, headers: headers, response: body)
    }

    /// - Throws: 428 without `If-Match`, 412 when it names another version.
    static func requireMatch(_ request: Request, current version: Int64, noun: String) throws {
        guard let expected = request.headers[.ifMatch] else {
            throw ProblemDetails(
                "precondition-required",
                title: "Precondition required",
                status: .preconditionRequired,
                detail: "send the \(noun)'s ETag in If-Match (GET it first)"
            )
        }
        guard expected == etag(version) || expected == "*" else {
            throw ProblemDetails(
                "precondition-failed",
                title: "Precondition failed",
                status: .preconditionFailed,
                detail: "the \(noun) has changed since you read it: GET it again"
            )
        }
    }
}
