import PostgresNIO

/// How many statements a test's database has run on one shard and on several, on a Citus cluster
/// (`citus_stat_counters`, which `ops/citus/cluster` turns on): the proof that a district's requests stay on the
/// worker that holds it. The counters are the database's, so the tests running at once do not mix.
public struct ShardExecutions: Sendable, Equatable {
    public var singleShard: Int64
    public var multiShard: Int64
}

extension TestDatabase {
    /// Starts the counters of this database again from zero.
    public func resetShardExecutions() async throws {
        _ = try await superuserRows("SELECT citus_stat_counters_reset()::text", as: String.self)
    }

    /// The statements run since the last ``resetShardExecutions()``.
    public func shardExecutions() async throws -> ShardExecutions {
        let counts = try await superuserRows(
            """
            SELECT query_execution_single_shard, query_execution_multi_shard
            FROM citus_stat_counters((SELECT oid FROM pg_database WHERE datname = current_database()))
            """,
            as: (Int64, Int64).self
        )
        return ShardExecutions(singleShard: counts.first?.0 ?? 0, multiShard: counts.first?.1 ?? 0)
    }
}
