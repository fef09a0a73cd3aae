import Logging
import PostgresNIO

/// A transaction whose tenant scope is set. Every query runs inside it.
public struct TenantTransaction: ~Copyable {
    let connection: PostgresConnection
    public let scope: TenantScope
    public let logger: Logger

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
        for try await row in try await connection.query(query, logger: logger, file: file, line: line).decode((repeat each Column).self) {
            result.append(row)
        }
        return result
    }
}
