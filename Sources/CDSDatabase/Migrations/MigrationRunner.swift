import Logging
import PostgresNIO

/// Applies the numbered migrations to a database, as its owner role.
///
/// Each migration runs in its own transaction and is recorded with its version and checksum in
/// `cds_meta.schema_migrations`. The runner holds a PostgreSQL advisory lock for the whole run, so two
/// processes starting at once apply each migration once: the second waits, then finds nothing to do.
public struct MigrationRunner: Sendable {
    /// The state of one migration, as `cds-admin db status` shows it.
    public struct Status: Hashable, Sendable {
        public let version: Int
        public let name: String
        public let appliedAt: String?
        public var isApplied: Bool { appliedAt != nil }
    }

    /// An arbitrary constant that names the migration lock among the database's advisory locks.
    static let lockKey: Int64 = 0x4344_535F_4D49_4752  // "CDS_MIGR"

    let database: Database
    let migrations: [Migration]

    /// - Parameters:
    ///   - database: a pool connected as the owner role (`cds_owner`).
    ///   - migrations: the migrations to apply; the ones shipped with this build by default.
    public init(database: Database, migrations: [Migration]? = nil) throws {
        self.database = database
        self.migrations = try migrations ?? Migration.bundled()
    }

    /// Applies every pending migration, in order.
    /// - Returns: the migrations applied by this call (empty when the schema was current).
    /// - Throws: ``DatabaseError`` when an applied migration's file changed, the database knows a migration
    ///   this build does not, or a migration fails (nothing of that migration is kept).
    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await withMigrationLock { connection in
            let applied = try await verifiedAppliedMigrations(connection)
            var done: [Migration] = []
            for migration in migrations where applied[migration.version] == nil {
                try await apply(migration, on: connection)
                done.append(migration)
            }
            return done
        }
    }

    /// Every known migration, applied or pending, after the same checks as ``migrate()``.
    public func status() async throws -> [Status] {
        try await withMigrationLock { connection in
            _ = try await verifiedAppliedMigrations(connection)
            let rows = try await connection.query(
                "SELECT version, applied_at::text FROM cds_meta.schema_migrations",
                logger: database.logger
            )
            var appliedAt: [Int: String] = [:]
            for try await (version, at) in rows.decode((Int, String).self) { appliedAt[version] = at }
            return migrations.map { Status(version: $0.version, name: $0.name, appliedAt: appliedAt[$0.version]) }
        }
    }

    private func withMigrationLock<Result: Sendable>(_ body: (LeasedConnection) async throws -> Result) async throws -> Result {
        try await database.withConnection { connection in
            let logger = database.logger
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            do {
                try await connection.query(
                    """
                    CREATE SCHEMA IF NOT EXISTS cds_meta;
                    """,
                    logger: logger
                )
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS cds_meta.schema_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        checksum text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """,
                    logger: logger
                )
                let result = try await body(connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
        }
    }

    private func verifiedAppliedMigrations(_ connection: LeasedConnection) async throws -> [Int: String] {
        let rows = try await connection.query(
            "SELECT version, name, checksum FROM cds_meta.schema_migrations ORDER BY version",
            logger: database.logger
        )
        var applied: [Int: String] = [:]
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for try await (version, name, checksum) in rows.decode((Int, String, String).self) {
            guard let migration = known[version] else {
                throw DatabaseError(
                    .migrationUnknown,
                    "the database has migration \(version) (\(name)), which this build does not know: it was migrated by a newer version. Run that version, or restore a backup."
                )
            }
            guard migration.matches(applied: checksum) else {
                throw DatabaseError(
                    .migrationChanged,
                    "migration \(version) (\(name)) has changed since it was applied. Released migrations are never edited: restore the file and add a new migration instead."
                )
            }
            applied[version] = checksum
        }
        return applied
    }

    private func apply(_ migration: Migration, on connection: LeasedConnection) async throws {
        let logger = database.logger
        logger.info("applying migration", metadata: ["cds.migration": "\(migration.version)_\(migration.name)"])
        try await connection.query("BEGIN", logger: logger)
        do {
            for (index, statement) in SQLScript.statements(migration.sql).enumerated() {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                } catch {
                    let detail = (error as? PSQLError)?.serverInfo?[.message] ?? "\(error)"
                    throw DatabaseError(
                        .migrationFailed,
                        "migration \(migration.version) (\(migration.name)) failed at statement \(index + 1): \(detail). Nothing of it was applied.",
                        cause: error
                    )
                }
            }
            try await connection.query(
                """
                INSERT INTO cds_meta.schema_migrations (version, name, checksum)
                VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                """,
                logger: logger
            )
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }
}
