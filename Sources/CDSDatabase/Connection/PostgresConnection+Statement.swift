import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `statement` and returns its rows, collected.
    ///
    /// `named`: as a named prepared statement, parsed once per connection (the default). Off, the same SQL and binds
    /// go as an unnamed statement each time, for a pooler in transaction mode that cannot carry a named statement from
    /// one transaction to the next server connection (pgbouncer before 1.21; `CDS_DATABASE_PREPARED_STATEMENTS`).
    @discardableResult
    package func rows<Statement: PostgresPreparedStatement>(
        of statement: Statement,
        named: Bool,
        logger: Logger,
        file: String = #fileID,
        line: Int = #line
    ) async throws -> [Statement.Row] {
        var result: [Statement.Row] = []
        if named {
            for try await row in try await execute(statement, logger: logger, file: file, line: line) {
                result.append(row)
            }
        } else {
            let query = PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings())
            for try await row in try await self.query(query, logger: logger, file: file, line: line) {
                result.append(try statement.decodeRow(row))
            }
        }
        return result
    }
}
