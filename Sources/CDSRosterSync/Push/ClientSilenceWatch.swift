import GRPCCore
import Synchronization

/// How long a push has been waiting for its client's next message.
///
/// A client whose network drops everything mid-push without a reset (no RST, no FIN) leaves the push waiting inside
/// its COPY, holding the district's lock, until TCP gives up — hours; the gRPC keepalive was not seen to end it
/// (ops/README.md, Known problems). Only the time spent waiting for the client counts, never the server's own work
/// on the push (checks and merge of a large roster take their time).
final class ClientSilenceWatch: Sendable {
    let limit: Duration
    private let waitingSince = Mutex<ContinuousClock.Instant?>(nil)

    init(limit: Duration) {
        self.limit = limit
    }

    /// `receive`'s result — the client's next message —, the wait counted.
    func awaitingClient<Message>(_ receive: () async throws -> Message) async throws -> Message {
        waitingSince.withLock { $0 = .now }
        defer { waitingSince.withLock { $0 = nil } }
        return try await receive()
    }

    /// Returns when cancelled; throws `DEADLINE_EXCEEDED` once a wait for the client has lasted `limit`.
    func watch() async throws {
        while true {
            do { try await Task.sleep(for: min(limit / 4, .seconds(1))) } catch { return }
            if let since = waitingSince.withLock({ $0 }), ContinuousClock.now - since >= limit {
                throw RPCError(code: .deadlineExceeded, message: "the client sent nothing for \(limit); the push was rolled back")
            }
        }
    }
}
