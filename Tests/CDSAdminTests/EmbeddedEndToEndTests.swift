import CDSTestSupport
import Foundation
import Testing

/// The built `cds-admin` and `cds-server` on a fresh data directory, as an operator and a staff member would run
/// them: the embedded cluster is initialised, migrated, loaded and seeded; the server starts on it; the first admin
/// is bootstrapped; the report comes back through the API; the server stops the cluster it started.
@Suite struct EmbeddedEndToEndTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cds-admin")

    static func environment(_ dataDirectory: URL, _ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["CDS_DATA_DIR"] = dataDirectory.path
        environment.removeValue(forKey: "CDS_DATABASE_URL")
        return environment.merging(extra) { $1 }
    }

    static func run(
        _ arguments: [String],
        dataDirectory: URL,
        environment extra: [String: String] = [:],
        input: String? = nil
    ) throws -> (
        status: Int32, output: String, error: String
    ) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment(dataDirectory, extra)
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    @Test func seedThenReportOnAFreshDataDirectory() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build cds-admin first (swift build)")
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cds-e2e-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }

        let seed = try Self.run(["demo", "seed", "sonla-2023"], dataDirectory: directory)
        #expect(seed.status == 0, "\(seed.error)")

        try Self.withServer(on: directory) { serverURL in
            let bootstrap = try Self.run(["bootstrap", "--name", "e2e"], dataDirectory: directory)
            #expect(bootstrap.status == 0, "\(bootstrap.error)")
            let token = bootstrap.output.trimmingCharacters(in: .newlines)
            let report = try Self.run(
                ["report", "establishment", "--format", "csv"],
                dataDirectory: directory,
                environment: serverURL.merging(["CDS_TOKEN": token]) { $1 }
            )
            #expect(report.status == 0, "\(report.error)")
            #expect(report.output == AdminCommandTests.referenceCSV + "total,,Tổng cộng,204,2786,1894,13407,123\n")
        }

        // Each command stopped the cluster it started: nothing runs, so there is no URL to print.
        let url = try Self.run(["db", "url"], dataDirectory: directory)
        #expect(url.status == 4)
        #expect(url.error.contains("cds-admin db start"))
    }

    /// Runs the built `cds-server` on `directory` and a free port while `body` runs, and stops it after.
    /// - Parameter body: gets `CDS_SERVER` for the commands, once the server answers.
    static func withServer(on directory: URL, _ body: ([String: String]) throws -> Void) throws {
        let port = try freeLoopbackPort()
        let server = Process()
        server.executableURL = executable.deletingLastPathComponent().appendingPathComponent("cds-server")
        server.environment = environment(
            directory,
            ["CDS_HTTP_ADDR": "127.0.0.1:\(port)", "CDS_GRPC_ADDR": "127.0.0.1:0", "CDS_METRICS_ADDR": "127.0.0.1:0"]
        )
        let log = directory.appendingPathComponent("server.log")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        server.standardOutput = logHandle
        server.standardError = logHandle
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        // Up when it refuses a made-up token (exit 3); unreachable is exit 1. Only then bootstrap, which would
        // otherwise start the cluster itself and stop it again under the server.
        let serverURL = ["CDS_SERVER": "http://127.0.0.1:\(port)"]
        var probe: Int32 = 1
        let deadline = Date().addingTimeInterval(180)
        while probe != 3, server.isRunning, Date() < deadline {
            probe = try run(["whoami"], dataDirectory: directory, environment: serverURL.merging(["CDS_TOKEN": "cds_probe"]) { $1 }).status
            if probe != 3 { Thread.sleep(forTimeInterval: 0.5) }
        }
        #expect(probe == 3, "the server did not come up: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self).suffix(2000))")
        try body(serverURL)
    }

    /// The project ships its own copy of the reference data; where the shared original is beside the
    /// repository (as on the team's machines and CI), the copy must be identical.
    static let sharedReference = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/data/sonla").standardizedFileURL

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedReference.path), "no shared/ beside the repository"))
    func theShippedReferenceDataIsTheSharedOriginal() throws {
        let shared = Self.sharedReference
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../sql/reference/sonla")
        for file in ["units-2023.csv", "establishment-2023-09-30.csv"] {
            #expect(try Data(contentsOf: shared.appendingPathComponent(file)) == Data(contentsOf: shipped.appendingPathComponent(file)))
        }
    }
}
