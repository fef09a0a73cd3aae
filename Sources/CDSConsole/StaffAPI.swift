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
        var components = URLComponents()
        components.path = path
        let items = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        if !items.isEmpty { components.queryItems = items }
        var head = HTTPRequest(
            method: method,
            scheme: nil,
            authority: nil,
            path: components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        )
        head.headerFields[.accept] = "application/json"
        if let ifMatch { head.headerFields[.ifMatch] = ifMatch }
        var body = RequestBody(buffer: ByteBuffer())
        if let json {
            head.headerFields[.contentType] = "application/json"
            body = RequestBody(buffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await responder.respond(to: Request(head: head, body: body), context: context)
        let collector = BodyCollector()
        try await response.body.write(collector)
        let bytes = collector.bytes
        guard response.status.code < 400 else { throw try JSONDecoder().decode(ProblemDetails.self, from: bytes) }
        let decoded = try WireCoding.decoder.decode(Body.self, from: bytes.isEmpty ? Data("{}".utf8) : bytes)
        return Answer(body: decoded, etag: response.headers[.eTag])
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
