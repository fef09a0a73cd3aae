/// What serves the database: one PostgreSQL server, or the coordinator of a Citus cluster whose workers hold the
/// districts' rows.
///
/// The schema, the scope and the writes are the same on both. Only the list pages differ: on one server a page
/// is read as one ordered scan per district, merged (``DatabaseEngine/postgresql``), which Citus cannot plan across
/// shards; on Citus it is one query that each shard answers in id order and the coordinator merges.
public enum DatabaseEngine: String, CaseIterable, Hashable, Sendable {
    case postgresql
    case citus

    /// Whether the database has the Citus extension: the engine its server is, whatever the settings say.
    static let detection = "SELECT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'citus')"
}
