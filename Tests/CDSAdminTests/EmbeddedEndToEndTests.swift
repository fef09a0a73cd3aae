import Foundation
import Testing

/// The built `cds-admin` on a fresh data directory, as an operator would run it: the embedded cluster is
/// initialised, migrated, loaded, seeded, reported on, and stopped again.
@Suite struct EmbeddedEndToEndTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cds-admin")

    static func run(_ arguments: [String], dataDirectory: URL) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["CDS_DATA_DIR"] = dataDirectory.path
        environment.removeValue(forKey: "CDS_DATABASE_URL")
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
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
        let report = try Self.run(["report", "establishment", "--format", "csv"], dataDirectory: directory)
        #expect(report.status == 0, "\(report.error)")
        #expect(report.output == AdminCommandTests.referenceCSV + "total,,Tổng cộng,204,2786,1894,13407,123\n")

        // Each command stopped the cluster it started: nothing runs, so there is no URL to print.
        let url = try Self.run(["db", "url"], dataDirectory: directory)
        #expect(url.status == 4)
        #expect(url.error.contains("cds-admin db start"))
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
