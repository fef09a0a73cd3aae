import PostgresNIO

/// A write that PostgreSQL refused because of a constraint: what the surfaces turn into a 409 or a 422
/// instead of a server error. Checking first and then writing would race; the constraint is the truth.
public struct ConstraintViolation: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case unique, foreignKey, check, notNull, exclusion
    }

    public let kind: Kind
    /// The constraint's (or unique index's) name, e.g. `teams_one_active_hamlet_team`.
    public let constraint: String

    /// The violation `error` reports, or nil for any other error.
    public init?(_ error: any Error) {
        guard let psql = error as? PSQLError, let info = psql.serverInfo, let state = info[.sqlState] else { return nil }
        switch state {
        case "23505": kind = .unique
        case "23503": kind = .foreignKey
        case "23514": kind = .check
        case "23502": kind = .notNull
        case "23P01": kind = .exclusion
        default: return nil
        }
        constraint = info[.constraintName] ?? ""
    }
}
