import Foundation
import Synchronization

/// Where commands write: standard output and standard error, or a capture in tests.
///
/// A task-local, so that tests run commands in-process and in parallel, each reading its own output.
public final class Console: Sendable {
    private let isCapturing: Bool
    private let captured = Mutex((output: "", error: ""))

    private init(capturing: Bool) {
        isCapturing = capturing
    }

    /// The real terminal.
    public static let standard = Console(capturing: false)
    /// A console that keeps what is written, for tests.
    public static func capture() -> Console { Console(capturing: true) }

    @TaskLocal public static var current: Console = .standard

    /// Whether standard output is a terminal (tables then, not CSV, by default).
    static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Writes `text` and a newline to the output.
    static func print(_ text: String) { current.write(text + "\n", toError: false) }

    /// Writes `text` and a newline to the error stream.
    static func printError(_ text: String) { current.write(text + "\n", toError: true) }

    public var output: String { captured.withLock { $0.output } }
    public var error: String { captured.withLock { $0.error } }

    private func write(_ text: String, toError: Bool) {
        if isCapturing {
            captured.withLock {
                if toError { $0.error += text } else { $0.output += text }
            }
        } else {
            do {
                try (toError ? FileHandle.standardError : FileHandle.standardOutput).write(contentsOf: Data(text.utf8))
            } catch {
                // The reader has gone (`cds-admin … | head -1`): stop as a tool killed by SIGPIPE would, quietly.
                exit(128 + SIGPIPE)
            }
        }
    }
}
