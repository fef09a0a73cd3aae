import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// Connections kept out of PostgresNIO's pool between one use and the next: a connection leaves the pool once and
/// then serves request after request from this shelf.
///
/// Each time a connection goes back, PostgresNIO's pool starts two timers for it (keep-alive and idle: tasks sleeping
/// on Dispatch, cancelled by the next lease but left pending for 30 and 60 s). At thousands of uses a second the
/// server spent more CPU on them than on its own work around a statement (measured under the members-list
/// benchmark). The pool's own remedy, a minimum of connections equal to the maximum, crashes PostgresNIO 1.33 when
/// connections close under load (`ops/fault/run pgdown`). So a used connection is shelved instead, and goes back to
/// the pool only when:
/// - somebody is waiting for the pool (the shelf never keeps a connection from a request that needs one);
/// - it has been on the shelf for ``idleTime`` (then the pool's own idle handling takes over);
/// - it is closed, or the shelf is (at shutdown).
final class ConnectionShelf: Sendable {
    /// A connection on the shelf, with the lease that holds it out of the pool.
    struct Entry: Sendable {
        let lease: PooledLease
        let connection: PostgresConnection
        let shelvedAt = ContinuousClock.now
    }

    private struct State {
        /// Most recently shelved last: taken from the end, so that the connections in use stay few and warm.
        var entries: [Entry] = []
        /// Callers waiting for the pool.
        var waiting = 0
        var closed = false
    }

    /// How long a connection stays on the shelf unused before it goes back to the pool.
    let idleTime: Duration
    private let state = Mutex(State())
    private let sweeper = Mutex<RepeatedTask?>(nil)

    init(idleTime: Duration = .seconds(10)) {
        self.idleTime = idleTime
        let sweep = TimeAmount(idleTime)
        sweeper.withLock {
            $0 = MultiThreadedEventLoopGroup.singleton.next().scheduleRepeatedTask(initialDelay: sweep, delay: sweep) { [weak self] _ in
                self?.returnIdle()
            }
        }
    }

    deinit {
        sweeper.withLock { $0?.cancel() }
    }

    /// The most recently shelved open connection; nil when there is none, and then the caller counts as waiting for
    /// the pool until ``doneWaiting()``. Both in one step, so that a connection shelved meanwhile goes to the pool.
    func take() -> Entry? {
        var closed: [Entry] = []
        defer { Self.giveBack(closed) }
        return state.withLock { state in
            while let entry = state.entries.popLast() {
                if !entry.connection.isClosed { return entry }
                closed.append(entry)
            }
            state.waiting += 1
            return nil
        }
    }

    /// The caller that ``take()`` counted as waiting has its connection from the pool, or gave up.
    func doneWaiting() {
        state.withLock { $0.waiting -= 1 }
    }

    /// Shelves a connection after use; gives it back to the pool instead when it is closed, when somebody waits for
    /// the pool, or when the shelf is closed.
    func put(_ lease: PooledLease, connection: PostgresConnection) {
        let shelved = state.withLock { state in
            guard !state.closed, state.waiting == 0, !connection.isClosed else { return false }
            state.entries.append(Entry(lease: lease, connection: connection))
            return true
        }
        if !shelved { Self.giveBack([Entry(lease: lease, connection: connection)]) }
    }

    /// Gives every shelved connection back and shelves no more, waiting until the pool has them: before the pool stops.
    func close() async {
        sweeper.withLock { $0?.cancel() }
        let entries = state.withLock { state in
            state.closed = true
            defer { state.entries = [] }
            return state.entries
        }
        for entry in entries { await entry.lease.release() }
    }

    /// Connections on the shelf now, and of those the ones still open (for tests).
    var count: (all: Int, open: Int) {
        state.withLock { state in (state.entries.count, state.entries.count { !$0.connection.isClosed }) }
    }

    /// Gives back the connections shelved for ``idleTime`` or longer.
    private func returnIdle() {
        let cutoff = ContinuousClock.now - idleTime
        let idle = state.withLock { state in
            let idle = state.entries.filter { $0.shelvedAt <= cutoff }
            state.entries.removeAll { $0.shelvedAt <= cutoff }
            return idle
        }
        Self.giveBack(idle)
    }

    private static func giveBack(_ entries: [Entry]) {
        guard !entries.isEmpty else { return }
        Task { for entry in entries { await entry.lease.release() } }
    }
}
