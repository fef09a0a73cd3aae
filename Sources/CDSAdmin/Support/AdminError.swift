import CDSCore

/// A failure of a `cds-admin` command, with its documented exit code.
///
/// | code | meaning |
/// | --- | --- |
/// | 0 | ok |
/// | 1 | error |
/// | 2 | usage (unknown flag, missing argument) |
/// | 3 | permission denied |
/// | 4 | not found |
/// | 5 | conflict |
public struct AdminError: Error, Sendable, CustomStringConvertible {
    public let exitCode: Int32
    public let message: String
    /// The fields the server refused, as its problem document lists them (`members[3].phone`, "is not a mobile
    /// number"): an import maps them back to the lines of its file.
    public var fieldErrors: [ValidationError] = []

    public static func failure(_ message: String) -> Self { Self(exitCode: 1, message: message) }
    public static func usage(_ message: String) -> Self { Self(exitCode: 2, message: message) }
    public static func permissionDenied(_ message: String) -> Self { Self(exitCode: 3, message: message) }
    public static func notFound(_ message: String) -> Self { Self(exitCode: 4, message: message) }
    public static func conflict(_ message: String) -> Self { Self(exitCode: 5, message: message) }

    public var description: String { message }
}
