import CDSCore
import Hummingbird

/// A GeoReport v2 error: the HTTP status, and the error list the specification defines
/// (`[{"code": 400, "description": "…"}]`, in XML `<errors><error>…</error></errors>`), one entry a fault.
struct Open311Error: Error, Sendable {
    struct Entry: Encodable, Sendable {
        let code: Int
        let description: String
    }

    let status: HTTPResponse.Status
    let descriptions: [String]
    var retryAfter: Int? = nil

    init(_ status: HTTPResponse.Status, _ descriptions: String...) {
        self.status = status
        self.descriptions = descriptions
    }

    init(_ status: HTTPResponse.Status, faults: [ValidationError]) {
        self.status = status
        self.descriptions = faults.map { "\($0.field): \($0.message)" }
    }

    func response(format: Open311Format) throws -> Response {
        var response = try format.response(
            descriptions.map { Entry(code: status.code, description: $0) },
            root: "errors",
            item: "error",
            status: status
        )
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}
