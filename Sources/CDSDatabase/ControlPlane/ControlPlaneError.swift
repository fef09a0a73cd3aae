/// Why a change to principals, credentials or grants cannot be made.
public struct ControlPlaneError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String { case conflict, notFound, invalid }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The name is taken, or the grant exists.
        public static let conflict = Self(.conflict)
        /// No such principal, role, unit or credential.
        public static let notFound = Self(.notFound)
        /// A malformed name or value.
        public static let invalid = Self(.invalid)

        public var description: String { value.rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
