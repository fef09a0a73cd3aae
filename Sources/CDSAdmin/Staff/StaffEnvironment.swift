import Foundation

/// The environment that staff commands read (`CDS_SERVER`, `CDS_TOKEN`, `CDS_PROFILE`, `XDG_CONFIG_HOME`, `HOME`):
/// the process's, or a test's own, task-local so that tests run commands in-process and in parallel.
public enum StaffEnvironment {
    @TaskLocal public static var override: [String: String]?
    /// What a test types on standard input.
    @TaskLocal public static var input: String?

    static var current: [String: String] { override ?? ProcessInfo.processInfo.environment }
}
