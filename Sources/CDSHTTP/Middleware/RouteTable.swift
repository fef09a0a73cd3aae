import Hummingbird
import Synchronization

/// The router's routes, read once they are all added: which methods a path answers, so that a known path
/// called with another method gets 405 Method Not Allowed with an `Allow` header rather than 404.
public final class RouteTable: Sendable {
    private let routes = Mutex<[(components: [Substring], method: String)]>([])

    public init() {}

    /// Takes the routes of `router`; call after every route is added.
    public func load(from router: Router<some RequestContext>) {
        let entries = router.routes.map { route in
            (components: "\(route.path)".split(separator: "/"), method: route.method.rawValue)
        }
        routes.withLock { $0 = entries }
    }

    /// The methods that some route with a pattern matching `path` answers, sorted.
    package func allowedMethods(for path: String) -> [String] {
        let components = path.split(separator: "?", maxSplits: 1).first.map { $0.split(separator: "/") } ?? []
        return routes.withLock { routes in
            Set(
                routes.filter { route in
                    route.components.count == components.count
                        && zip(route.components, components).allSatisfy { pattern, value in pattern.hasPrefix("{") || pattern == value }
                }.map(\.method)
            ).sorted()
        }
    }
}
