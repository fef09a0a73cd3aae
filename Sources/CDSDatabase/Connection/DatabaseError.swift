/// An error of the database layer, with a stable code, a message for people, and the underlying cause.
///
/// The message never carries the text of a PostgreSQL error: that goes to the log through `cause`.
public struct DatabaseError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String {
            case invalidURL, unreachable, unavailable, migrationChanged, migrationUnknown, migrationFailed, schemaOutdated, engineMismatch
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The URL cannot be parsed.
        public static let invalidURL = Self(.invalidURL)
        /// No connection could be made, or the credentials were refused.
        public static let unreachable = Self(.unreachable)
        /// The database stopped answering while the process ran: no connection within the acquire timeout, or the
        /// connection broke. Retrying later may work; HTTP answers 503, gRPC `UNAVAILABLE`.
        public static let unavailable = Self(.unavailable)
        /// An applied migration's file has changed since it was applied.
        public static let migrationChanged = Self(.migrationChanged)
        /// The database has a migration that this build does not know: it is newer than the code.
        public static let migrationUnknown = Self(.migrationUnknown)
        /// A migration failed; nothing of it was applied.
        public static let migrationFailed = Self(.migrationFailed)
        /// Migrations are pending and this process may not apply them.
        public static let schemaOutdated = Self(.schemaOutdated)
        /// The database is served by another engine than `CDS_DATABASE_ENGINE` names.
        public static let engineMismatch = Self(.engineMismatch)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String
    public let cause: String?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause.map { String(reflecting: $0) }
    }

    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code && lhs.message == rhs.message }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
