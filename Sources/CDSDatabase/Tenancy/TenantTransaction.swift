import Logging
import PostgresNIO

/// A transaction whose tenant scope is set. Every query runs inside it.
public struct TenantTransaction: ~Copyable {
    let connection: LeasedConnection
    public let scope: TenantScope
    /// The server's engine: what decides the form of the statements that Citus plans differently.
    public let engine: DatabaseEngine
    public let logger: Logger

    /// The scope's districts, to name in a statement's `tenant_id = ANY (…)` when it finds a row by its id alone. The
    /// policy keeps other districts' rows out either way, but Citus sends a statement only to the shards it names
    /// itself: without this, a lookup by id ran on every shard of the cluster.
    public var districtCodes: [Int32] { scope.tenants.map { Int32($0.rawValue) }.sorted() }

    /// Runs one statement; its parameters are bound, never concatenated.
    @discardableResult
    public func query(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresRowSequence {
        try await connection.query(query, logger: logger, file: file, line: line)
    }

    /// Runs one statement and returns its rows decoded, collected.
    public func rows<each Column: PostgresDecodable & Sendable>(
        _ query: PostgresQuery,
        as types: (repeat each Column).Type,
        file: String = #fileID,
        line: Int = #line
    ) async throws -> [(repeat each Column)] {
        var result: [(repeat each Column)] = []
        for try await row in try await self.query(query, file: file, line: line).decode((repeat each Column).self) {
            result.append(row)
        }
        return result
    }

    /// Runs one statement and returns its rows, each decoded into a named ``RowDecodable``.
    public func rows<Row: RowDecodable>(
        _ query: PostgresQuery,
        of type: Row.Type,
        file: String = #fileID,
        line: Int = #line
    ) async throws -> [Row] {
        try await rows(query, file: file, line: line, decodingEach: Row.init)
    }

    /// Runs one statement and returns its rows, each decoded by `decode`.
    public func rows<Row>(
        _ query: PostgresQuery,
        file: String = #fileID,
        line: Int = #line,
        decodingEach decode: (PostgresRow) throws -> Row
    ) async throws -> [Row] {
        var result: [Row] = []
        for try await row in try await self.query(query, file: file, line: line) {
            result.append(try decode(row))
        }
        return result
    }
}

extension TenantTransaction {
    /// Runs a prepared statement (parsed once per connection) and returns its rows, collected: for the statements
    /// every request runs, where parsing a long statement each time costs as much as running it.
    @discardableResult
    public func execute<Statement: PostgresPreparedStatement>(
        _ statement: Statement,
        file: String = #fileID,
        line: Int = #line
    ) async throws -> [Statement.Row] where Statement.Row: Sendable {
        try await connection.rows(of: statement, logger: logger, file: file, line: line)
    }
}

extension TenantTransaction {
    /// `COPY table (columns) FROM STDIN` in PostgreSQL's text format, the rows written by `writeData` as they come:
    /// for staging tables (PostgreSQL refuses COPY into a table with row-level security, tenancy rule 7).
    public func copyFrom(
        table: String,
        columns: [String],
        writeData: (PostgresCopyFromWriter) async throws -> Void
    ) async throws {
        try await connection.underlying.copyFrom(table: table, columns: columns, logger: logger, writeData: writeData)
    }
}
