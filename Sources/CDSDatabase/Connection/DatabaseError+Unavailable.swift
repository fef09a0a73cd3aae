import PostgresNIO

extension DatabaseError {
    /// `error` as ``Code/unavailable`` when it says the database cannot be reached right now — no connection came
    /// within the acquire timeout, the connection broke, or the server is shutting down or starting — and `nil` for any
    /// other error (a constraint, a bug), which stays what it is.
    public static func unavailable(_ error: any Error) -> DatabaseError? {
        if let error = error as? DatabaseError {
            return error.code == .unavailable || error.code == .unreachable ? error : nil
        }
        guard let psql = error as? PSQLError else { return nil }
        switch psql.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed:
            return DatabaseError(.unavailable, "the connection to the database broke", cause: error)
        case .server:
            // Class 08 (connection exception); 57P01-57P03: the server is shutting down, crashed, or is not up yet.
            let state = psql.serverInfo?[.sqlState] ?? ""
            guard state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state) else { return nil }
            return DatabaseError(.unavailable, "the database is shutting down or starting", cause: error)
        default:
            return nil
        }
    }
}
