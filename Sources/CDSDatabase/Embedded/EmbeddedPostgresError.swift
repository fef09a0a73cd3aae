import CDSCore

/// Why the embedded cluster cannot be set up or started, with what to do about it.
public typealias EmbeddedPostgresError = CodedError<EmbeddedPostgresErrorCode>

/// The kinds of ``EmbeddedPostgresError``.
public struct EmbeddedPostgresErrorCode: Hashable, Sendable, CustomStringConvertible {
    private enum Value: String {
        case binariesNotFound, dataDirectoryUnreachable, versionMismatch, initdbFailed, startFailed, bootstrapFailed
    }
    private let value: Value
    private init(_ value: Value) { self.value = value }

    public static let binariesNotFound = Self(.binariesNotFound)
    public static let dataDirectoryUnreachable = Self(.dataDirectoryUnreachable)
    public static let versionMismatch = Self(.versionMismatch)
    public static let initdbFailed = Self(.initdbFailed)
    public static let startFailed = Self(.startFailed)
    public static let bootstrapFailed = Self(.bootstrapFailed)

    public var description: String { value.rawValue }
}
