import Synchronization

/// At most `permits` holders at once; up to `queueLimit` more wait their turn, each for at most `patience`, and the
/// rest are refused at once. What keeps a flood of public reads to its share of the connection pool: a refused or
/// waiting read holds no connection, so staff and partners find one free.
package final class ConcurrencyShare: Sendable {
    private struct State {
        var available: Int
        /// The waiters' tickets in arrival order; a ticket is here from its admission until it holds a permit or gives up.
        var queue: [UInt64] = []
        /// The suspended waiters, by ticket (a ticket in `queue` may not have suspended yet).
        var suspended: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        /// Tickets handed a permit before they suspended.
        var handedOver: Set<UInt64> = []
        var lastTicket: UInt64 = 0
        var held = 0
        var mostHeld = 0
    }

    private enum Admission: Equatable {
        case granted, refused
        case queued(UInt64)
    }

    package let permits: Int
    package let queueLimit: Int
    package let patience: Duration
    private let state: Mutex<State>

    package init(permits: Int, queueLimit: Int, patience: Duration) {
        precondition(permits >= 1 && queueLimit >= 0)
        self.permits = permits
        self.queueLimit = queueLimit
        self.patience = patience
        self.state = Mutex(State(available: permits))
    }

    /// The most holders there ever were at once (never above `permits`): what the load test checks.
    package var mostHeld: Int { state.withLock { $0.mostHeld } }

    /// Runs `body` holding a permit; nil, without running it, when none came free in time or too many already wait.
    package func withPermit<T>(_ body: () async throws -> T) async throws -> T? {
        guard await acquire() else { return nil }
        defer { release() }
        return try await body()
    }

    private func acquire() async -> Bool {
        let admission: Admission = state.withLock { state in
            if state.available > 0 {
                state.available -= 1
                state.held += 1
                state.mostHeld = max(state.mostHeld, state.held)
                return .granted
            }
            guard state.queue.count < queueLimit else { return .refused }
            state.lastTicket += 1
            state.queue.append(state.lastTicket)
            return .queued(state.lastTicket)
        }
        guard case .queued(let ticket) = admission else { return admission == .granted }
        let patience = self.patience
        let timer = Task { [weak self] in
            try? await Task.sleep(for: patience)
            self?.giveUp(ticket)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let outcome: Bool? = state.withLock { state in
                    if state.handedOver.remove(ticket) != nil { return true }
                    guard state.queue.contains(ticket) else { return false }  // gave up before it suspended
                    state.suspended[ticket] = continuation
                    return nil
                }
                if let outcome { continuation.resume(returning: outcome) }
            }
        } onCancel: {
            giveUp(ticket)
        }
    }

    /// Out of the queue, unless the ticket already holds a permit.
    private func giveUp(_ ticket: UInt64) {
        let continuation = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard let index = state.queue.firstIndex(of: ticket) else { return nil }
            state.queue.remove(at: index)
            return state.suspended.removeValue(forKey: ticket)
        }
        continuation?.resume(returning: false)
    }

    /// Hands the permit to the longest waiter, or returns it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.queue.isEmpty else {
                state.available += 1
                state.held -= 1
                return nil
            }
            let ticket = state.queue.removeFirst()
            guard let continuation = state.suspended.removeValue(forKey: ticket) else {
                state.handedOver.insert(ticket)
                return nil
            }
            return continuation
        }
        next?.resume(returning: true)
    }
}
