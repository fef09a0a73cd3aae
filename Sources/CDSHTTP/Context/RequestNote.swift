import Synchronization

/// Who a request turned out to be from, noted by the authentication that learns it (a staff token, a partner's key)
/// and read by ``AccessLogMiddleware`` after the response: the middleware runs outside the authentication, whose
/// copy of the context it never sees, so the note is a reference that every copy shares.
public final class RequestNote: Sendable {
    private let identity = Mutex<(principal: String?, tenant: String?)>((nil, nil))

    public init() {}

    /// Records the caller (its audit label) and, when known, the tenant scope its transactions run in.
    public func identify(principal: String, tenant: String?) {
        identity.withLock { $0 = (principal, tenant) }
    }

    package var principal: String? { identity.withLock { $0.principal } }
    package var tenant: String? { identity.withLock { $0.tenant } }
}
