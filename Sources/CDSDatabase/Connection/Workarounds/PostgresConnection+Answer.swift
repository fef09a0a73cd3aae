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
    ///
    /// The statement runs in a task of its own, so that the caller can go on without it; the connection's close is
    /// watched by ``OpenStatements``, once per connection, not by a task per statement.
    @discardableResult
    package func answer<Result: Sendable>(to operation: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let outcome = AnswerOutcome<Result>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.install(continuation)
            let token = OpenStatements.shared.watch(self) {
                outcome.resume(with: .failure(DatabaseError(.unavailable, "the connection closed before the statement answered")))
                outcome.cancelStatement()
            }
            outcome.statement = Task { [self] in
                do {
                    outcome.resume(with: .success(try await operation()))
                } catch {
                    outcome.resume(with: .failure(error))
                }
                OpenStatements.shared.answered(token, on: self)
            }
        }
    }
}

/// The first of the statement's answer and the watch's verdict, delivered once.
private final class AnswerOutcome<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, any Error>?, resumed: Bool)>((nil, false))
    private let running = Mutex<Task<Void, Never>?>(nil)

    /// The task that runs the statement, cancelled when it is given up.
    var statement: Task<Void, Never>? {
        get { running.withLock { $0 } }
        set { running.withLock { $0 = newValue } }
    }

    func cancelStatement() {
        statement?.cancel()
    }

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
