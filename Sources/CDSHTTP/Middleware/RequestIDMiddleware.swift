import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    package static let requestID = Self("X-Request-Id")!
    package static let clientRequestID = Self("X-Client-Request-Id")!
}

extension RequestContext {
    /// The `X-Request-Id` the client sent, when it was usable (``RequestIDMiddleware``).
    package var clientRequestID: String? {
        if case .string(let id) = logger[metadataKey: RequestIDMiddleware<Self>.clientMetadataKey] { return id }
        return nil
    }
}

/// Gives every response an `X-Request-Id`: the server's own id of the request (Hummingbird's), which is in every
/// log line of the request and in the audit entries of its writes, and which no client chooses — so that no client
/// can make its audit entries look like another request's. A client's own `X-Request-Id`, when usable, is kept
/// beside it: in the log lines and audit entries as the client's id, and sent back as `X-Client-Request-Id`.
public struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    package static var clientMetadataKey: String { "cds.client_request_id" }

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let supplied = request.headers[.requestID].flatMap { Self.isUsable($0) ? $0 : nil }
        if let supplied { context.logger[metadataKey: Self.clientMetadataKey] = .string(supplied) }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.requestID] = context.id
        if let supplied { response.headers[.clientRequestID] = supplied }
        return response
    }

    /// Short, and of characters that are safe in a log line and a header.
    package static func isUsable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
            }
    }
}
