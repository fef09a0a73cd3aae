import PostgresNIO

extension DatabaseError {
    /// Whether `error` is PostgreSQL refusing a text the client sent — a NUL character (U+0000), which no PostgreSQL
    /// text can hold, or a character the database's encoding cannot store. The statement failed and its transaction
    /// rolls back, so nothing was written: the client's input was at fault, a 400, not a 500. Inputs are checked
    /// before they reach SQL where a field is known; this catches every other path a text can take.
    public static func isUnstorableText(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError, psql.code == .server else { return false }
        return ["22021", "22P05"].contains(psql.serverInfo?[.sqlState] ?? "")
    }
}
