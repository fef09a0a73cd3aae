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

    /// systemd accepts both units without a word (an unknown or misspelt directive is reported, and would fail this),
    /// both keep the hardening the operations issue asks for, and only the migration unit is given the owner's URL.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func theSystemdUnitsVerifyAreHardenedAndOnlyMigrationsHoldTheOwner() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cds-units-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for name in ["cds-server.service", "cds-migrate.service"] {
            let unit = try String(contentsOf: repositoryFile("ops/systemd/\(name)"), encoding: .utf8)
            for directive in ["User=cds", "ProtectSystem=strict", "NoNewPrivileges=yes", "CapabilityBoundingSet=\n", "UMask=0077"] {
                #expect(unit.contains(directive), "\(name) lacks \(directive)")
            }
            // verify checks that ExecStart's program exists: point it at one that does.
            let file = directory.appendingPathComponent(name)
            try unit.replacingOccurrences(of: "/usr/local/bin/cds-server", with: "/bin/true").write(to: file, atomically: true, encoding: .utf8)
            files.append(file.path)
        }
        let serving = try String(contentsOf: repositoryFile("ops/systemd/cds-server.service"), encoding: .utf8)
        #expect(serving.contains("RestartPreventExitStatus=78") && serving.contains("Requires=cds-migrate.service"))
        let servingDirectives = serving.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        #expect(!servingDirectives.contains("owner.env") && !servingDirectives.contains("OWNER"))
        let migrating = try String(contentsOf: repositoryFile("ops/systemd/cds-migrate.service"), encoding: .utf8)
        #expect(migrating.contains("EnvironmentFile=/etc/cds/owner.env") && migrating.contains(" migrate --config /etc/cds/cds.env"))
        let settings = try String(contentsOf: repositoryFile("ops/systemd/cds.env.example"), encoding: .utf8)
        #expect(!settings.contains("CDS_DATABASE_OWNER_URL="))
        let owner = try ConfigurationSource(environment: [:], file: repositoryFile("ops/systemd/owner.env.example"))
        #expect(Set(owner.entries.keys) == [.databaseOwnerURL])

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = ["verify"] + files
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
