import Logging
import PostgresNIO

/// A connection leased from the pool, as ``Database/withConnection(_:)`` lends it: every statement sent through it is
/// awaited only while the connection is open (``PostgresConnection/answer(to:)``), so no code holding a lease can wait
/// forever on a statement PostgresNIO never answers.
package struct LeasedConnection: Sendable {
    /// The connection itself, for what the guarded methods do not cover (COPY).
    package let underlying: PostgresConnection
    /// ``DatabaseEndpoint/usesPreparedStatements`` of the pool it came from.
    package let namedStatements: Bool

    /// Runs one statement; its parameters are bound, never concatenated.
    @discardableResult
    package func query(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try await underlying.answer { [underlying] in try await underlying.query(query, logger: logger, file: file, line: line) }
    }

    /// Runs a prepared statement and returns its rows, collected (``PostgresConnection/rows(of:named:logger:file:line:)``).
    @discardableResult
    package func rows<Statement: PostgresPreparedStatement>(
        of statement: Statement,
        logger: Logger,
        file: String = #fileID,
        line: Int = #line
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        try await underlying.answer { [underlying, namedStatements] in
            try await underlying.rows(of: statement, named: namedStatements, logger: logger, file: file, line: line)
        }
    }
}
