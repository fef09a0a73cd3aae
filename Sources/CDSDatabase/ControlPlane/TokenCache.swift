import Foundation
import Synchronization

/// Bearer tokens verified in the last ``maximumAge`` (10 s unless told, the figure of kube-apiserver's own token
/// cache), so that most requests skip the token look-up.
///
/// Trusted only while the server hears of every change to the control plane (``ControlPlaneCache``): a change empties
/// it, and while the listener is away nothing is kept. A look-up that began before a change is not kept after it
/// (the generation tells), so no verdict read before a revocation outlives it.
public final class TokenCache: Sendable {
    public let maximumAge: TimeInterval
    /// Beyond this many tokens the cache starts afresh: it bounds the memory a flood of valid tokens could take.
    static let maximumEntries = 10_000

    private struct Entry {
        let principal: AuthenticatedPrincipal
        let until: Date
    }

    private struct State {
        var entries: [Data: Entry] = [:]
        var generation = 0
        var listening = false
    }

    private let state = Mutex(State())

    public init(maximumAge: TimeInterval = 10) {
        self.maximumAge = maximumAge
    }

    /// The principal of the token whose SHA-256 is `key`, when verified less than ``maximumAge`` ago and the token has
    /// not expired since.
    public func principal(for key: Data) -> AuthenticatedPrincipal? {
        state.withLock { state in
            guard state.listening, let entry = state.entries[key], entry.until > Date() else { return nil }
            return entry.principal
        }
    }

    /// The generation a look-up starts in, to hand to ``keep(_:for:expiresAt:from:)``; nil while nothing may be kept.
    public func generation() -> Int? {
        state.withLock { $0.listening ? $0.generation : nil }
    }

    /// Keeps the verdict of a look-up that began in `generation`, unless the control plane changed since.
    func keep(_ principal: AuthenticatedPrincipal, for key: Data, expiresAt: Date?, from generation: Int) {
        let until = min(Date().addingTimeInterval(maximumAge), expiresAt ?? .distantFuture)
        state.withLock { state in
            guard state.listening, state.generation == generation else { return }
            if state.entries.count >= Self.maximumEntries { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(principal: principal, until: until)
        }
    }

    /// Forgets every token: the control plane changed.
    func invalidate() {
        state.withLock { state in
            state.entries.removeAll()
            state.generation += 1
        }
    }

    /// Whether changes are heard; when not, nothing is kept or used.
    func setListening(_ listening: Bool) {
        state.withLock { state in
            state.entries.removeAll()
            state.generation += 1
            state.listening = listening
        }
    }
}
