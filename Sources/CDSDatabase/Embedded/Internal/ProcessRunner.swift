import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program to completion and collects what it printed.
///
/// When this process is root, programs that PostgreSQL refuses to run as root are started as an
/// unprivileged account through `runuser`.
package struct ProcessRunner: Sendable {
    package struct Output: Sendable {
        package var status: Int32
        package var text: String
    }

    /// The account that runs `initdb` and the server when this process is root (Debian's package creates it).
    package static let unprivilegedAccount = "postgres"

    package static var isRoot: Bool { geteuid() == 0 }

    /// Runs `executable` with `arguments`, as the unprivileged account if `dropPrivileges` and this process is root.
    package static func run(_ executable: String, _ arguments: [String], dropPrivileges: Bool = false) async throws -> Output {
        var executable = executable
        var arguments = arguments
        if dropPrivileges && isRoot {
            arguments = ["-u", unprivilegedAccount, "--", executable] + arguments
            executable = try locate("runuser", extraDirectories: ["/usr/sbin", "/sbin"])
        }
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("cds-process-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let status = try await spawnAndWait(executable, arguments, outputPath: outputFile.path)
        let text = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        return Output(status: status, text: text)
    }

    /// posix_spawn and waitpid, rather than Foundation's `Process`: `Process` learns of the child's exit
    /// from a descriptor the child inherits, and `pg_ctl start` hands that descriptor on to the server
    /// daemon, so `Process` would wait for the server to stop.
    private static func spawnAndWait(_ executable: String, _ arguments: [String], outputPath: String) async throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process's: its sockets are not close-on-exec, and a child holding one keeps it open
        // for as long as the child lives — `pg_ctl start`'s server daemon, for the life of the cluster. A listener
        // passed on that way keeps its port bound after this process closes it, and a connection passed on never
        // reaches its peer as closed.
        guard let closeFrom = addCloseFrom, closeFrom(&actions, 3) == 0 else {
            throw EmbeddedPostgresError(
                .startFailed,
                "cannot run \(executable): this C library cannot close descriptors in a child (glibc 2.34 or later can)"
            )
        }

        // A child inherits the spawning thread's signal mask and ignored signals, and the threads of Swift
        // concurrency block SIGTERM and SIGINT (NIO ignores SIGPIPE): pgbouncer, which never unblocks them itself,
        // then outlived every test that stopped it with SIGTERM. The child starts with nothing blocked and these
        // signals at their defaults.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard spawned == 0 else {
            throw EmbeddedPostgresError(.startFailed, "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR {
                throw EmbeddedPostgresError(.startFailed, "lost track of \(executable): \(String(cString: strerror(errno)))")
            }
            // A cancelled task still waits for its child, so that no zombie is left behind.
            do { try await Task.sleep(for: .milliseconds(20)) } catch { usleep(20_000) }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import: low 7 bits are the signal, next 8 the exit code.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34), which Swift's Glibc module leaves out: it is
    /// declared for `_GNU_SOURCE` only.
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// The path of `name` on `PATH` or in one of `extraDirectories`.
    package static func locate(_ name: String, extraDirectories: [String] = []) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + extraDirectories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw EmbeddedPostgresError(.binariesNotFound, "'\(name)' was not found on PATH")
    }
}
