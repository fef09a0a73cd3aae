import CDSHTTP
import CDSWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The admin API as the console calls it: its own `/v1` routes, in this process, with the signed-in person as the
/// caller. Every rule (permission, tenant scope, validation, ETags, audit) is the API's, so the console cannot
/// drift from it; a refusal arrives as the API's ``ProblemDetails``, thrown.
struct StaffAPI: Sendable {
    let responder: RouterResponder<APIRequestContext>

    /// What the API answered: the decoded body and the entity's version, for a later `If-Match`.
    struct Answer<Body: Sendable>: Sendable {
        let body: Body
        let etag: String?
    }

    func get<Body: Decodable & Sendable>(
        _ path: String,
        query: [(String, String?)] = [],
        as type: Body.Type,
        context: APIRequestContext
    ) async throws -> Answer<Body> {
        try await send(.get, path, query: query, json: nil, as: type, context: context)
    }

    /// Every item of the list at `path`, page after page of the largest size the API answers.
    func all<Item: Decodable & Sendable>(
        _ path: String,
        query: [(String, String?)] = [],
        as type: Item.Type,
        context: APIRequestContext
    ) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            let page = try await get(
                path,
                query: query + [("limit", String(PageLimit.maximum)), ("cursor", cursor)],
                as: Wire.Page<Item>.self,
                context: context
            ).body
            items += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return items
    }

    /// Sends `json` (a JSON object's fields; nil leaves a field out, `NSNull` sends null) to `path`.
    func send<Body: Decodable & Sendable>(
        _ method: HTTPRequest.Method,
        _ path: String,
        query: [(String, String?)] = [],
        json: [String: Any]?,
        ifMatch: String? = nil,
        as type: Body.Type,
        context: APIRequestContext
    ) async throws -> Answer<Body> {
        var head = HTTPRequest(method: method, scheme: nil, authority: nil, path: Self.target(path, query: query))
        head.headerFields[.accept] = "application/json"
        if let ifMatch { head.headerFields[.ifMatch] = ifMatch }
        var body = RequestBody(buffer: ByteBuffer())
        if let json {
            head.headerFields[.contentType] = "application/json"
            body = RequestBody(buffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let (response, bytes) = try await respond(to: Request(head: head, body: body), context: context)
        let decoded = try WireCoding.decoder.decode(Body.self, from: bytes.isEmpty ? Data("{}".utf8) : bytes)
        return Answer(body: decoded, etag: response.headers[.eTag])
    }

    /// Sends `method` to `path` for its effect alone (an attendance recorded, a grant revoked): what the API answers
    /// is not read, only a refusal, thrown.
    func perform(_ method: HTTPRequest.Method, _ path: String, context: APIRequestContext) async throws {
        let head = HTTPRequest(method: method, scheme: nil, authority: nil, path: Self.target(path, query: []))
        _ = try await respond(to: Request(head: head, body: RequestBody(buffer: ByteBuffer())), context: context)
    }

    /// What the API answers to `GET path` as it is, for a file to download (a report as CSV): its body and the
    /// headers that describe it.
    func download(_ path: String, query: [(String, String?)], context: APIRequestContext) async throws -> (headers: HTTPFields, body: Data) {
        var head = HTTPRequest(method: .get, scheme: nil, authority: nil, path: Self.target(path, query: query))
        head.headerFields[.accept] = "text/csv"
        let (response, bytes) = try await respond(to: Request(head: head, body: RequestBody(buffer: ByteBuffer())), context: context)
        var headers = HTTPFields()
        headers[.contentType] = response.headers[.contentType]
        headers[.contentDisposition] = response.headers[.contentDisposition]
        return (headers, bytes)
    }

    /// The API's response to `request` and its whole body; a refusal thrown as the API's problem.
    private func respond(to request: Request, context: APIRequestContext) async throws -> (Response, Data) {
        let response = try await responder.respond(to: request, context: context)
        let collector = BodyCollector()
        try await response.body.write(collector)
        guard response.status.code < 400 else { throw try JSONDecoder().decode(ProblemDetails.self, from: collector.bytes) }
        return (response, collector.bytes)
    }

    /// `path` with the query items whose value is not nil, percent-encoded.
    private static func target(_ path: String, query: [(String, String?)]) -> String {
        var components = URLComponents()
        components.path = path
        return components.percentEncodedPath + FormFields.query(query)
    }
}

/// Gathers a response body written in this process.
private final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    private(set) var bytes = Data()

    func write(_ buffer: ByteBuffer) async throws {
        bytes.append(contentsOf: buffer.readableBytesView)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
