import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion and collects what it printed.
///
/// When this process is root, programs that PostgreSQL refuses to run as root are started as an
/// unprivileged account through `runuser`.
struct ProcessRunner: Sendable {
    struct Output: Sendable {
        var status: Int32
        var text: String
    }

    /// The account that runs `initdb` and the server when this process is root (Debian's package creates it).
    static let unprivilegedAccount = "postgres"

    static var isRoot: Bool { geteuid() == 0 }

    /// Runs `executable` with `arguments`, as the unprivileged account if `dropPrivileges` and this process is root.
    static func run(_ executable: String, _ arguments: [String], dropPrivileges: Bool = false) async throws -> Output {
        var executable = executable
        var arguments = arguments
        if dropPrivileges && isRoot {
            arguments = ["-u", unprivilegedAccount, "--", executable] + arguments
            executable = try locate("runuser", extraDirectories: ["/usr/sbin", "/sbin"])
        }
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("cds-process-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let handle = try FileHandle(forWritingTo: outputFile)
        defer { try? handle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        return Output(status: status, text: text)
    }

    /// The path of `name` on `PATH` or in one of `extraDirectories`.
    static func locate(_ name: String, extraDirectories: [String] = []) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + extraDirectories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw EmbeddedPostgresError(.binariesNotFound, "'\(name)' was not found on PATH")
    }
}
