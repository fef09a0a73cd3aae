import CDSTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `cds-server` itself, the built binary, on a data directory of its own.
@Suite struct ServeCommandTests {
    /// A port held by a listening socket for as long as `body` runs.
    static func withTakenPort<Result>(_ body: (Int) async throws -> Result) async throws -> Result {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && listen(socket, 1) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        try #require(bound)
        return try await body(Int(UInt16(bigEndian: address.sin_port)))
    }

    /// The metrics listener's address taken: the start fails naming both listeners' settings, not the API's alone.
    @Test func anAddressInUseIsNamedWithItsSetting() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cds-serve-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.withTakenPort { port in
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
