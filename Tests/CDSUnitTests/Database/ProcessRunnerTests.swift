import CDSDatabase
import CDSTestSupport
import Testing

/// What a program started for the embedded cluster (`initdb`, `pg_ctl` and the server daemon it leaves running,
/// `pgbouncer`) receives of this process.
@Suite struct ProcessRunnerTests {
    /// None of this process's sockets: a daemon holding a copy of a listener would keep its port bound after this
    /// process closed it, and a copy of a connection would keep its peer from ever seeing it closed.
    @Test func aChildHoldsNoneOfThisProcesssSockets() async throws {
        try await withSilentLoopbackListener { _ in
            let output = try await ProcessRunner.run("/bin/sh", ["-c", "ls -l /proc/$$/fd"])
            #expect(output.status == 0)
            #expect(output.text.contains("/dev/null"), "\(output.text)")
            #expect(!output.text.contains("socket:"), "\(output.text)")
        }
    }
}
