import CDSServer
import CDSTestSupport
import Foundation
import Testing

/// The files operators install from `ops/`: they must say what the code reads.
@Suite struct DeploymentFilesTests {
    /// The example settings file is a valid `--config` file: only known settings, every value accepted (its
    /// certificate paths standing for files this machine has), and real TLS active, since it listens beyond loopback.
    @Test func theExampleSettingsFileIsAValidConfiguration() throws {
        let example = repositoryFile("ops/systemd/cds.env.example")
        let text = try String(contentsOf: example, encoding: .utf8)
        let pem = FileManager.default.temporaryDirectory.appendingPathComponent("cds-example-\(UUID().uuidString).pem")
        try "not read here".write(to: pem, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: pem) }
        var present: [String: String] = [:]
        for name in ["CDS_TLS_CERT", "CDS_TLS_KEY", "CDS_TLS_CLIENT_CA"] {
            #expect(text.split(separator: "\n").contains { $0.hasPrefix("\(name)=/etc/cds/tls/") }, "\(name) is not set in the example")
            present[name] = pem.path
        }
        let source = try ConfigurationSource(environment: present, file: example)
        let configuration = try ServerConfiguration(source)
        #expect(configuration.database.databaseURL?.hasPrefix("postgres://cds_app:") == true)
        #expect(configuration.grpcAddress.description == "0.0.0.0:8443")
        #expect(configuration.syncTLS != nil)
        #expect(source.entries.count >= 10)
    }

    /// systemd accepts the unit without a word (an unknown or misspelt directive is reported, and would fail this),
    /// and the unit keeps the hardening the operations issue asks for.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func theSystemdUnitVerifiesAndIsHardened() async throws {
        let unit = try String(contentsOf: repositoryFile("ops/systemd/cds-server.service"), encoding: .utf8)
        for directive in ["User=cds", "ProtectSystem=strict", "NoNewPrivileges=yes", "CapabilityBoundingSet=\n", "RestartPreventExitStatus=78"] {
            #expect(unit.contains(directive), "the unit lacks \(directive)")
        }
        // verify checks that ExecStart's program exists: point it at one that does.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cds-server-\(UUID().uuidString).service")
        try unit.replacingOccurrences(of: "/usr/local/bin/cds-server", with: "/bin/true").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = ["verify", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(said.isEmpty, "systemd-analyze: \(said)")
    }
}
