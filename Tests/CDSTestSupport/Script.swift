import Foundation

/// One of the repository's operator scripts, run to completion.
public struct Script {
    public struct Output: Sendable {
        public let status: Int32
        public let standardOutput: String
        public let standardError: String
    }

    /// Runs `ops/…` `path` with `arguments`, this process's environment plus `environment`.
    public static func run(_ path: String, _ arguments: [String] = [], environment: [String: String] = [:]) async throws -> Output {
        try await run(executable: repositoryFile(path), arguments, environment: environment)
    }

    /// Runs the built product `name` (`cds-server`, `cds-admin`) beside the test bundle.
    public static func run(product name: String, _ arguments: [String] = [], environment: [String: String] = [:]) async throws -> Output {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return try await run(executable: products.appendingPathComponent(name), arguments, environment: environment)
    }

    private static func run(executable: URL, _ arguments: [String], environment: [String: String]) async throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let standardOutput = FileManager.default.temporaryDirectory.appendingPathComponent("cds-script-\(UUID().uuidString).out")
        let standardError = standardOutput.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: standardOutput.path, contents: nil)
        _ = FileManager.default.createFile(atPath: standardError.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: standardOutput)
            try? FileManager.default.removeItem(at: standardError)
        }
        process.standardOutput = try FileHandle(forWritingTo: standardOutput)
        process.standardError = try FileHandle(forWritingTo: standardError)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        return Output(
            status: process.terminationStatus,
            standardOutput: (try? String(contentsOf: standardOutput, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: standardError, encoding: .utf8)) ?? ""
        )
    }
}
