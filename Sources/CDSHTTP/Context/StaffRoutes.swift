import Hummingbird

/// Staff routes that another module (the feedback module) adds under `/v1`, behind the bearer authentication:
/// their handlers find the caller in the context, as the admin API's own do.
public protocol StaffRoutes: Sendable {
    func addRoutes(to group: RouterGroup<APIRequestContext>)
}
