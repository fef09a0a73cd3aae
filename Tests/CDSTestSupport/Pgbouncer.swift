import CDSDatabase
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// pgbouncer, from Debian's package, run with the repository's `ops/pgbouncer/pgbouncer.ini` in front of one test
/// database: only the paths, the port and the database line are changed, so that the tests exercise the shipped file.
public enum Pgbouncer {
    /// Runs `body` with an endpoint of `application` (`cds_app` on a test database) that goes through pgbouncer,
    /// with named prepared statements off (Debian 12's pgbouncer is 1.18); stops pgbouncer afterwards.
    public static func withRunning<Result: Sendable>(
        before application: DatabaseEndpoint,
        poolSize: Int,
        _ body: (DatabaseEndpoint) async throws -> Result
    ) async throws -> Result {
        let executable = try ProcessRunner.locate("pgbouncer", extraDirectories: ["/usr/sbin"])
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cds-pgbouncer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // pgbouncer refuses to run as root; as the unprivileged account it writes its pid and log here.
        if ProcessRunner.isRoot {
            try FileManager.default.setAttributes([.ownerAccountName: ProcessRunner.unprivilegedAccount], ofItemAtPath: directory.path)
        }
        let port = try freeLoopbackPort()
        let shipped = try String(contentsOf: repositoryFile("ops/pgbouncer/pgbouncer.ini"), encoding: .utf8)
        let configuration = rewrite(
            shipped,
            settings: [
                "listen_port": "\(port)",
                "unix_socket_dir": "",
                "auth_file": directory.appendingPathComponent("userlist.txt").path,
                "logfile": directory.appendingPathComponent("pgbouncer.log").path,
                "pidfile": directory.appendingPathComponent("pgbouncer.pid").path,
                "default_pool_size": "\(poolSize)",
                "min_pool_size": "0",
                "reserve_pool_size": "0",
            ],
            database: "\(application.database) = host=\(application.host) port=\(application.port) dbname=\(application.database)"
        )
        let file = directory.appendingPathComponent("pgbouncer.ini")
        try configuration.write(to: file, atomically: true, encoding: .utf8)
        try "\"\(application.username)\" \"\(application.password ?? "")\"\n".write(
            to: directory.appendingPathComponent("userlist.txt"),
            atomically: true,
            encoding: .utf8
        )
        let started = try await ProcessRunner.run(executable, ["-d", file.path], dropPrivileges: true)
        guard started.status == 0 else {
            let log = (try? String(contentsOf: directory.appendingPathComponent("pgbouncer.log"), encoding: .utf8)) ?? ""
            throw PgbouncerError(description: "pgbouncer did not start (\(started.status)): \(started.text) \(log)")
        }
        defer {
            if let text = try? String(contentsOf: directory.appendingPathComponent("pgbouncer.pid"), encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                kill(pid, SIGTERM)
            }
        }
        // `-d` returns once pgbouncer has forked, which may be before it listens (seen on a loaded machine).
        guard try await waitUntilLoopbackPortAccepts(port) else {
            throw PgbouncerError(description: "pgbouncer did not listen on 127.0.0.1:\(port) within 10 s")
        }
        var pooled = application
        pooled.host = "127.0.0.1"
        pooled.port = port
        pooled.usesPreparedStatements = false
        return try await body(pooled)
    }

    /// `ini` with each of `settings` given its value, and the `[databases]` section holding only `database`.
    static func rewrite(_ ini: String, settings: [String: String], database: String) -> String {
        var section = ""
        var lines: [String] = []
        for line in ini.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                section = trimmed
                lines.append(line)
                if section == "[databases]" { lines.append(database) }
                continue
            }
            let key = trimmed.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if section == "[databases]" && !key.isEmpty && !key.hasPrefix(";") { continue }
            if let value = settings[key] { lines.append("\(key) = \(value)") } else { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }
}

public struct PgbouncerError: Error, CustomStringConvertible {
    public let description: String
}
