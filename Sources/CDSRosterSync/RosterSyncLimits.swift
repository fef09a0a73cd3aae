/// The roster sync server's limits, enforced instead of the transport's unlimited defaults, and whether a push
/// passes over what it already holds.
public struct RosterSyncLimits: Hashable, Sendable {
    /// The largest message a client may send (a chunk of records), in bytes.
    public var maximumMessageBytes = 4 * 1024 * 1024
    /// Records (of all kinds, tombstones included) in one push.
    public var maximumRecordsPerPush = 1_000_000
    /// Concurrent streams (calls) on one connection.
    public var maximumConcurrentStreams = 16
    /// A connection without calls is closed after this long.
    public var maximumIdleTime: Duration = .seconds(300)
    /// A connection is closed (gracefully) after this long, so that clients spread over restarted servers.
    public var maximumConnectionAge: Duration = .seconds(3600)
    /// After this long without a frame from the client, the server is to ping it, and close the connection when the
    /// ping is not answered within `keepaliveTimeout` (gRPC's default waits two hours). With a proxy that froze mid-push,
    /// the connection was still open 100 s later (ops/README.md, Known problems); the push itself is given up after
    /// `pushSilenceTimeout`.
    public var keepaliveTime: Duration = .seconds(20)
    public var keepaliveTimeout: Duration = .seconds(10)
    /// A push whose client sends nothing for this long, mid-stream, ends with `DEADLINE_EXCEEDED` and is rolled back,
    /// which frees its district for the next push.
    public var pushSilenceTimeout: Duration = .seconds(60)
    /// Changes per pull message, at most.
    public var maximumPullPageSize = 5000
    /// Whether a push passes over the records the registry holds exactly as sent (by their digests); without it, a
    /// push checks and compares every record field by field (`CDS_GRPC_PUSH_SKIP_UNCHANGED`).
    public var skipsUnchangedRecords = true

    public init() {}
}
