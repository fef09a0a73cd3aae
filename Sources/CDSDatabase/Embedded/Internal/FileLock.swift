#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on a file, held for the duration of `body`: serialises the processes that set up
/// one data directory (a `cds-server` and a `cds-admin` started at once).
enum FileLock {
    static func withExclusiveLock<Result>(path: String, _ body: () async throws -> Result) async throws -> Result {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw EmbeddedPostgresError(.dataDirectoryUnreachable, "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }  // closing the descriptor releases the lock
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw EmbeddedPostgresError(.dataDirectoryUnreachable, "cannot lock \(path): \(String(cString: strerror(errno)))")
            }
        }
        return try await body()
    }
}
