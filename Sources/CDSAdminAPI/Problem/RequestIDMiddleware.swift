import HTTPTypes
import Hummingbird
import Logging

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
}

/// Gives every response an `X-Request-Id`: the client's own, when it sends a usable one (so a partner can follow
/// its request through our logs), or Hummingbird's id of the request. The same id is in every log line of the
/// request and in the audit entries of its writes.
public struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let supplied = request.headers[.requestID], Self.isUsable(supplied) {
            context.logger[metadataKey: "hb.request.id"] = .string(supplied)
        }
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = context.id
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            response.headers[.requestID] = context.id
            return response
        }
    }

    /// Short, and of characters that are safe in a log line and a header.
    static func isUsable(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
            }
    }
}
