import HTTPTypes
import Hummingbird

/// Finds the client of every request (``TrustedProxies``) for the limits that count by address and for the log.
public struct ClientAddressMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    package let trustedProxies: TrustedProxies

    public init(trustedProxies: TrustedProxies) {
        self.trustedProxies = trustedProxies
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = trustedProxies.client(
            peer: ClientAddress(context.remoteAddress),
            forwardedFor: request.headers[values: .xForwardedFor]
        )
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    package static let xForwardedFor = Self("X-Forwarded-For")!
}
