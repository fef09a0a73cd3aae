import Synchronization

/// Province-wide reference data — the unit tree, the roles' permissions, the feedback catalogue — read from the
/// database and kept for `maximumAge`: requests need it all the time, it changes only through operator commands,
/// and reading it afresh for each request cost as much as the request's own work. A change reaches requests
/// within `maximumAge`, or at once where the cache is told (``invalidate()``, as ``ControlPlaneCache`` does).
public final class ReferenceCache<Value: Sendable>: Sendable {
    private struct State {
        var held: (value: Value, readAt: ContinuousClock.Instant)?
        var generation = 0
    }

    private let maximumAge: Duration
    private let load: @Sendable () async throws -> Value
    private let state = Mutex(State())

    public init(maximumAge: Duration = .seconds(60), load: @escaping @Sendable () async throws -> Value) {
        self.maximumAge = maximumAge
        self.load = load
    }

    /// The value held, or a fresh one when it is older than `maximumAge`. (Requests that find it stale at the same
    /// moment each read it; the last read is kept, unless the cache was invalidated while it was read.)
    public func current() async throws -> Value {
        let now = ContinuousClock.now
        let (held, generation) = state.withLock { ($0.held, $0.generation) }
        if let held, now - held.readAt < maximumAge { return held.value }
        let value = try await load()
        state.withLock { state in
            if state.generation == generation { state.held = (value, now) }
        }
        return value
    }

    /// Forgets the value held: the next request reads it afresh.
    public func invalidate() {
        state.withLock { state in
            state.held = nil
            state.generation += 1
        }
    }
}
