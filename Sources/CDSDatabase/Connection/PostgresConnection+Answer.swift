import PostgresNIO
import Synchronization

extension PostgresConnection {
    /// `operation`'s result — a statement sent on this connection — unless the connection closes and the statement
    /// has still not answered a second later: then ``DatabaseError/Code/unavailable``.
    ///
    /// Seen with PostgreSQL stopped (`pg_ctl stop -m fast`) under load, about one run in three: a COMMIT sent as the
    /// server was terminating the connection never answered, and the request, and with it a graceful shutdown, waited
    /// forever. The statement's task is left to end whenever PostgresNIO ends it; the caller goes on. Whether that
    /// COMMIT took effect is unknown, as after any broken connection; the caller is told the database was unavailable,
    /// never that it succeeded.
    @discardableResult
    package func answer<Result: Sendable>(to operation: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let outcome = AnswerOutcome<Result>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.install(continuation)
            let statement = Task {
                do {
                    outcome.resume(with: .success(try await operation()))
                } catch {
                    outcome.resume(with: .failure(error))
                }
                outcome.watcher?.cancel()
            }
            outcome.watcher = Task { [self] in
                var closedSince: ContinuousClock.Instant?
                while !outcome.isResumed {
                    do { try await Task.sleep(for: .milliseconds(250)) } catch { return }
                    guard isClosed else { continue }
                    let since = closedSince ?? .now
                    closedSince = since
                    if ContinuousClock.now - since >= .seconds(1) {
                        outcome.resume(with: .failure(DatabaseError(.unavailable, "the connection closed before the statement answered")))
                        statement.cancel()
                    }
                }
            }
        }
    }
}

/// The first of the statement's answer and the watcher's verdict, delivered once.
private final class AnswerOutcome<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, any Error>?, resumed: Bool)>((nil, false))
    private let watching = Mutex<Task<Void, Never>?>(nil)

    /// The task that watches the connection, cancelled once the statement answers.
    var watcher: Task<Void, Never>? {
        get { watching.withLock { $0 } }
        set { watching.withLock { $0 = newValue } }
    }

    var isResumed: Bool { state.withLock { $0.resumed } }

    func install(_ continuation: CheckedContinuation<Value, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    func resume(with result: Result<Value, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            guard !state.resumed else { return nil }
            state.resumed = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(with: result)
    }
}
