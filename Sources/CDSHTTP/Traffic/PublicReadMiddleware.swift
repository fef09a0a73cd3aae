import Hummingbird

/// Guards the public reads of a route group (its GET and HEAD requests; other methods carry credentials and are
/// counted where those are checked): counted per client address, and run within the public reads' database share.
public struct PublicReadMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    package let traffic: PublicTraffic
    /// False for a read that must answer even when the share is taken (`/readyz`, which load balancers act on).
    package let withinShare: Bool

    public init(traffic: PublicTraffic, withinShare: Bool = true) {
        self.traffic = traffic
        self.withinShare = withinShare
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        try traffic.admit(from: context.clientAddress)
        guard withinShare else { return try await next(request, context) }
        return try await traffic.read { try await next(request, context) }
    }
}
