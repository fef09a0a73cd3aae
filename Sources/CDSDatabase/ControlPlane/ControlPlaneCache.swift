import Foundation
import Synchronization

/// What a server keeps of the control plane to spare the database a query per request: verified tokens
/// (``TokenCache``) and reference data read from it (the unit tree, the roles' permissions: ``ReferenceCache``s).
///
/// Every change empties it: at once on the server that made it (``ControlPlane`` invalidates after its commit), and
/// within a second on every other server on the database (``ControlPlaneListener`` hears the triggers' `NOTIFY`).
public final class ControlPlaneCache: Sendable {
    public let tokens: TokenCache
    private let dependents = Mutex<[@Sendable () -> Void]>([])

    /// - Parameter tokenAge: how long a verified token is trusted, 10 s unless told.
    public init(tokenAge: TimeInterval = 10) {
        tokens = TokenCache(maximumAge: tokenAge)
    }

    /// Adds something else kept from the control plane, forgotten by `invalidate` whenever the control plane changes.
    public func add(dependent invalidate: @escaping @Sendable () -> Void) {
        dependents.withLock { $0.append(invalidate) }
    }

    /// The control plane changed: forget everything kept of it.
    public func invalidate() {
        tokens.invalidate()
        for invalidate in dependents.withLock({ $0 }) { invalidate() }
    }

    /// The listener heard (`true`) or lost (`false`) the database: either way what was kept may be stale, and tokens
    /// are kept only while changes are heard.
    func setListening(_ listening: Bool) {
        tokens.setListening(listening)
        for invalidate in dependents.withLock({ $0 }) { invalidate() }
    }
}
