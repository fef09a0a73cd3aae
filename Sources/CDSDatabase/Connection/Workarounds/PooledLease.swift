import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// A connection leased from a `PostgresClient` for as long as the caller needs it, or an error within
/// `acquireTimeout`.
///
/// PostgresNIO's pool lends a connection only for a closure's lifetime and, with the database down, lets a lease wait
/// for a minute before its circuit breaker fails it. So the closure runs in a task of its own that hands the connection
/// over and holds the lease until ``release()``; the caller waits for the hand-over at most `acquireTimeout`, and a
/// lease not yet granted by then is cancelled. Once handed over, the lease is held even if the caller's task is
/// cancelled: only ``release()`` gives the connection back, so no other request can get it while this one uses it.
final class PooledLease: Sendable {
    private let client: PostgresClient
    private let acquireTimeout: Duration
    /// The task that leases and holds the connection.
    private let holder = Mutex<Task<Void, Never>?>(nil)
    /// Resumed by ``release()``; the holder waits on it without regard to cancellation.
    private let released = Mutex<(continuation: CheckedContinuation<Void, Never>?, done: Bool)>((nil, false))

    init(client: PostgresClient, acquireTimeout: Duration) {
        self.client = client
        self.acquireTimeout = acquireTimeout
    }

    /// The leased connection.
    /// - Throws: ``DatabaseError/Code/unavailable`` when the pool has none for this long or cannot connect;
    ///   `CancellationError` when the caller's task is cancelled while waiting.
    func acquire() async throws -> PostgresConnection {
        let (handover, delivery) = AsyncThrowingStream.makeStream(of: PostgresConnection.self)
        let holder = Task {
            do {
                try await client.withConnection { connection in
                    delivery.yield(connection)
                    await self.waitForRelease()
                }
            } catch {
                delivery.finish(throwing: DatabaseError(.unavailable, "no connection to the database could be had", cause: error))
            }
        }
        self.holder.withLock { $0 = holder }
        // A timer of NIO's, not `Task.sleep`: a cancelled sleep leaves its Dispatch timer pending until it would have
        // fired, thousands of them at two leases a request (measured under the members-list benchmark: Dispatch's
        // threads went from 17 % to 7 % of the server's CPU with this change; PostgresNIO's pool sets the rest).
        let timeout = acquireTimeout
        let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(timeout)) {
            delivery.finish(throwing: DatabaseError(.unavailable, "no database connection came within \(timeout)"))
        }
        defer { timer.cancel() }
        do {
            var iterator = handover.makeAsyncIterator()
            guard let connection = try await withTaskCancellationHandler(operation: { try await iterator.next() }, onCancel: { holder.cancel() })
            else { throw CancellationError() }
            return connection
        } catch {
            // Not handed over: stop waiting for the pool (a lease granted meanwhile goes straight back).
            holder.cancel()
            await release()
            throw error
        }
    }

    /// Gives the connection back to the pool (if it was leased) and waits until it is back.
    func release() async {
        let continuation = released.withLock { state -> CheckedContinuation<Void, Never>? in
            state.done = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
        await holder.withLock { $0 }?.value
    }

    private func waitForRelease() async {
        await withCheckedContinuation { continuation in
            let resumeNow = released.withLock { state -> Bool in
                if state.done { return true }
                state.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
