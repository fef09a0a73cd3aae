import Foundation

/// Which database to use, read from the environment at the edge.
public struct DatabaseSettings: Hashable, Sendable {
    /// `CDS_DATABASE_URL`: the application role's URL on an existing server. `nil`: the embedded cluster.
    public var databaseURL: String?
    /// `CDS_DATABASE_OWNER_URL`: the owner role's URL on that server, for migrations and operator commands.
    public var ownerURL: String?
    /// `CDS_DATA_DIR`, default `.cds`: the embedded cluster and generated development material.
    public var dataDirectory: URL
    /// `CDS_DATABASE_POOL_SIZE`: the most connections the application's pool opens; `nil`: ``defaultPoolSize``.
    public var poolSize: Int?
    /// PostgresNIO's default.
    public static let defaultPoolSize = 20
    /// `CDS_DATABASE_PREPARED_STATEMENTS`, default true; false behind a pooler that cannot keep named prepared
    /// statements across transactions (pgbouncer before 1.21 in transaction mode).
    public var preparedStatements = true
    /// `CDS_DATABASE_ACQUIRE_TIMEOUT`, default 5 s: how long a request (or the owner's work: migrations, operator commands)
    /// waits for a pooled connection before a 503.
    public var acquireTimeout: Duration = .seconds(5)
    /// How long opening a connection may take (the endpoint's default unless set; not an operator setting).
    public var connectTimeout: Duration?
    /// `CDS_DATABASE_ENGINE`, default postgresql; `citus` on a Citus coordinator (checked against the database at start).
    public var engine = DatabaseEngine.postgresql

    public init(databaseURL: String? = nil, ownerURL: String? = nil, dataDirectory: URL) {
        self.databaseURL = databaseURL
        self.ownerURL = ownerURL
        self.dataDirectory = dataDirectory
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseSettings {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        return DatabaseSettings(
            databaseURL: value("CDS_DATABASE_URL"),
            ownerURL: value("CDS_DATABASE_OWNER_URL"),
            dataDirectory: URL(fileURLWithPath: value("CDS_DATA_DIR") ?? ".cds")
        )
    }

    public var isEmbedded: Bool { databaseURL == nil }
}
