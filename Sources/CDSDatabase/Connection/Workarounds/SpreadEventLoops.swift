import Dispatch
import NIOCore
import NIOPosix

/// NIO's shared event loops, handed out in turn: the pool's connections spread over every loop.
///
/// PostgresClient opens each connection on its group's `any()` loop, which for NIO's own group is the loop of the
/// calling thread when that thread is one of its loops. cds-server runs Swift concurrency on those loops, so the
/// pool, running on one loop, opened every connection on that same loop; every task that awaited PostgreSQL then
/// resumed there, and one thread did the whole server's work while the other idled (measured: 93 % of the
/// server's CPU time on one loop under the members-list benchmark).
final class SpreadEventLoops: EventLoopGroup {
    private let group: MultiThreadedEventLoopGroup = .singleton

    func next() -> any EventLoop {
        group.next()
    }

    /// Not the calling thread's loop (NIO's default for its group) but the next in turn.
    func any() -> any EventLoop {
        group.next()
    }

    func makeIterator() -> EventLoopIterator {
        group.makeIterator()
    }

    func shutdownGracefully(queue: DispatchQueue, _ callback: @escaping @Sendable ((any Error)?) -> Void) {
        // The shared group lives as long as the process: there is nothing to shut down.
        queue.async { callback(nil) }
    }
}
