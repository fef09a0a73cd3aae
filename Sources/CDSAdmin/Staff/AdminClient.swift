import AsyncHTTPClient
import CDSCore
import CDSWire
import Foundation
import NIOCore
import NIOHTTP1

/// The admin API as the staff commands see it: JSON in and out, a problem document turned into an ``AdminError``
/// with the documented exit code and the server's title and detail.
struct AdminClient: Sendable {
    let server: URL
    let token: String

    /// One HTTP client for the process. A person at a terminal wants an unreachable server said at once, not retried
    /// until the request's deadline, which is what the shared client does by default.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    init(server: String, token: String) throws {
        let trimmed = server.hasSuffix("/") ? String(server.dropLast()) : server
        guard let url = URL(string: trimmed), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw AdminError.usage("'\(server)' is not a server URL: use e.g. https://cds.example.vn or http://127.0.0.1:8080")
        }
        self.server = url
        self.token = token
    }

    /// An answer: its status, `ETag` and body.
    struct Answer: Sendable {
        let status: Int
        let etag: String?
        let body: Data

        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            do {
                return try WireCoding.decoder.decode(type, from: body)
            } catch {
                throw AdminError.failure("the server's answer is not what this cds-admin expects (\(error)): are they the same version?")
            }
        }
    }

    /// Sends one request; a 4xx or 5xx answer throws its problem as an ``AdminError``.
    func send(_ method: HTTPMethod, _ path: String, json body: Data? = nil, ifMatch: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: server.absoluteString + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "cds-admin")
        if let ifMatch { request.headers.add(name: "If-Match", value: ifMatch) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let status: Int
        let etag: String?
        let data: Data
        do {
            let response = try await Self.http.execute(request, timeout: .seconds(120))
            status = Int(response.status.code)
            etag = response.headers.first(name: "ETag")
            data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        } catch let error as AdminError {
            throw error
        } catch {
            throw AdminError.failure("cannot reach \(server.absoluteString) (\(error)): is the server running, and is the URL right?")
        }
        guard status < 400 else { throw Self.problem(status: status, body: data) }
        return Answer(status: status, etag: etag, body: data)
    }

    func get<Value: Decodable>(_ path: String, as type: Value.Type) async throws -> Value {
        try await send(.GET, path).decode(type)
    }

    /// The server's problem as one line, with the exit code of its status.
    static func problem(status: Int, body: Data) -> AdminError {
        struct Problem: Decodable {
            let title: String?
            let detail: String?
            let errors: [ValidationError]?
        }
        let problem = try? JSONDecoder().decode(Problem.self, from: body)
        var message = [problem?.title, problem?.detail].compactMap { $0 }.joined(separator: ": ")
        if message.isEmpty { message = "the server answered \(status)" }
        if let errors = problem?.errors, !errors.isEmpty {
            message += " (" + errors.map { "\($0.field) \($0.message)" }.joined(separator: "; ") + ")"
        }
        var error: AdminError =
            switch status {
            case 401: .permissionDenied(message + " — log in again: cds-admin login --server URL")
            case 403: .permissionDenied(message)
            case 404: .notFound(message)
            case 409, 412, 428: .conflict(message)
            default: .failure(message)
            }
        error.fieldErrors = problem?.errors ?? []
        return error
    }
}
