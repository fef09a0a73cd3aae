import Hummingbird

extension APIRequestContext {
    /// The route a request matched, as the audit log names it: `GET /v1/members/{id}`.
    package func route(of request: Request) -> String {
        "\(request.method) \(endpointPath ?? request.uri.path)"
    }
}
