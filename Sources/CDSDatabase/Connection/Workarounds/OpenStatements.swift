import NIOCore
import PostgresNIO
import Synchronization

/// The statements awaiting an answer on each open connection, so that one callback per connection, run a second after
/// it closes, can give up on those PostgresNIO leaves waiting (``PostgresConnection/answer(to:)``).
///
/// One callback per connection rather than one per statement: a pooled connection lives for thousands of statements,
/// and an `EventLoopFuture` keeps every callback it is given until it completes.
final class OpenStatements: Sendable {
    static let shared = OpenStatements()

    private struct State {
        var nextToken = 0
        /// By connection: each waiting statement's way to give up.
        var waiting: [ObjectIdentifier: [Int: @Sendable () -> Void]] = [:]
    }

    private let state = Mutex(State())

    /// Calls `giveUp` a second after `connection` closes, unless ``answered(_:on:)`` comes first.
    /// - Returns: the token that ``answered(_:on:)`` takes.
    func watch(_ connection: PostgresConnection, giveUp: @escaping @Sendable () -> Void) -> Int {
        let (token, firstOnConnection) = state.withLock { state in
            state.nextToken += 1
            let key = ObjectIdentifier(connection)
            let first = state.waiting[key] == nil
            state.waiting[key, default: [:]][state.nextToken] = giveUp
            return (state.nextToken, first)
        }
        if firstOnConnection {
            // On a connection already closed the callback runs at once, and the statement is given up a second later.
            connection.closeFuture.whenComplete { _ in
                connection.eventLoop.scheduleTask(in: .seconds(1)) { self.giveUpAll(on: connection) }
            }
        }
        return token
    }

    /// The statement `token` answered: nothing to give up.
    func answered(_ token: Int, on connection: PostgresConnection) {
        _ = state.withLock { $0.waiting[ObjectIdentifier(connection)]?.removeValue(forKey: token) }
    }

    private func giveUpAll(on connection: PostgresConnection) {
        let waiting = state.withLock { $0.waiting.removeValue(forKey: ObjectIdentifier(connection)) } ?? [:]
        for giveUp in waiting.values { giveUp() }
    }
}
