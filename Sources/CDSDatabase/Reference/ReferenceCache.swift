import Synchronization

/// Province-wide reference data — the unit tree, the roles' permissions, the feedback catalogue — read from the
/// database and kept for `maximumAge`: requests need it all the time, it changes only through operator commands,
/// and reading it afresh for each request cost as much as the request's own work. A change reaches requests
/// within `maximumAge`.
public final class ReferenceCache<Value: Sendable>: Sendable {
    private let maximumAge: Duration
    private let load: @Sendable () async throws -> Value
    private let held = Mutex<(value: Value, readAt: ContinuousClock.Instant)?>(nil)

    public init(maximumAge: Duration = .seconds(60), load: @escaping @Sendable () async throws -> Value) {
        self.maximumAge = maximumAge
        self.load = load
    }

    /// The value held, or a fresh one when it is older than `maximumAge`. (Requests that find it stale at the same
    /// moment each read it; the last read is kept.)
    public func current() async throws -> Value {
        let now = ContinuousClock.now
        if let held = held.withLock({ $0 }), now - held.readAt < maximumAge { return held.value }
        let value = try await load()
        held.withLock { $0 = (value, now) }
        return value
    }
}
