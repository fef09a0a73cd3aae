import Foundation

/// A file of personal data (a roster pulled from the server, an export): created readable and writable by its owner
/// only, before anything is written to it, and put in place in one step.
enum PrivateFile {
    static func write(_ data: Data, to file: URL) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(getpid())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw AdminError.failure("cannot write \(temporary.path)")
        }
        do {
            try data.write(to: temporary)
            // rename(2) replaces an older file in one step: a reader sees the old contents or the new, never half.
            guard rename(temporary.path, file.path) == 0 else {
                throw AdminError.failure("cannot write \(file.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
