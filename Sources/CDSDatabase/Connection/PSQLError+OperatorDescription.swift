import PostgresNIO

extension PSQLError {
    /// What went wrong, for an operator's own terminal (`cds-admin`'s operator commands, `cds-server`'s start-up):
    /// the SQLSTATE with the server's message, detail and hint, or the client-side failure and its cause.
    ///
    /// `PSQLError`'s own description hides all of it, rightly so for the HTTP and gRPC surfaces, which must keep
    /// answering generically; an operator who runs `db migrate` needs to read why it failed.
    public var operatorDescription: String {
        if let server = serverInfo, let state = server[.sqlState] {
            var text = "PostgreSQL \(server[.severity] ?? "ERROR") \(state): \(server[.message] ?? "(no message)")"
            if let detail = server[.detail] { text += "; detail: \(detail)" }
            if let hint = server[.hint] { text += "; hint: \(hint)" }
            return text
        }
        var text = "PostgreSQL client error: \(code)"
        if let underlying { text += ": \(String(describing: underlying))" }
        return text
    }
}

/// A PostgreSQL failure as an operator reads it, with its SQLSTATE and message; `nil` for any other error.
public func operatorDescription(of error: any Error) -> String? {
    (error as? PSQLError)?.operatorDescription
}
