import CDSCore

/// Why a change to principals, credentials or grants cannot be made.
public typealias ControlPlaneError = CodedError<ControlPlaneErrorCode>

/// The kinds of ``ControlPlaneError``.
public struct ControlPlaneErrorCode: Hashable, Sendable, CustomStringConvertible {
    private enum Value: String { case conflict, notFound, invalid, notPermitted, wrongLevel }
    private let value: Value
    private init(_ value: Value) { self.value = value }

    /// The name is taken, or the grant exists.
    public static let conflict = Self(.conflict)
    /// No such principal, role, unit or credential.
    public static let notFound = Self(.notFound)
    /// A malformed name or value.
    public static let invalid = Self(.invalid)
    /// The change would give someone a permission that the one who asks does not hold.
    public static let notPermitted = Self(.notPermitted)
    /// A role granted on a unit of a level it is not made for (``RoleLevel``).
    public static let wrongLevel = Self(.wrongLevel)

    public var description: String { value.rawValue }
}
