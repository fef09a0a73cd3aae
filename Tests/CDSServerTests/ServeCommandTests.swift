import CDSTestSupport
import Foundation
import Testing

/// `cds-server` itself, the built binary, on a data directory of its own.
@Suite struct ServeCommandTests {
    /// The metrics listener's address taken: the start fails naming both listeners' settings, not the API's alone.
    @Test func anAddressInUseIsNamedWithItsSetting() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cds-serve-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withSilentLoopbackListener { port in
            let started = try await Script.run(
                product: "cds-server",
                environment: [
                    "CDS_DATA_DIR": directory.appendingPathComponent("data").path, "CDS_DATABASE_URL": "", "CDS_HTTP_ADDR": "127.0.0.1:0",
                    "CDS_GRPC_ADDR": "127.0.0.1:0", "CDS_METRICS_ADDR": "127.0.0.1:\(port)", "CDS_LOG_LEVEL": "critical",
                ]
            )
            #expect(started.status == 1)
            #expect(started.standardError.contains("127.0.0.1:\(port) (CDS_METRICS_ADDR): an address is in use"), "\(started.standardError)")
        }
    }
}
