import Foundation
import Logging
import PostgresNIO

/// The database a process works on, ready: reachable, migrated, with the reference units loaded.
///
/// With `CDS_DATABASE_URL` unset it is the embedded cluster in `CDS_DATA_DIR`, started (or reused) here.
public struct DatabaseTarget: Sendable {
    /// The application role, `cds_app`.
    public let application: DatabaseEndpoint
    /// The owner role, `cds_owner`, when known (always for the embedded cluster).
    public let owner: DatabaseEndpoint?
    /// The embedded cluster, when one is used; stop it with ``close()``.
    public let embedded: EmbeddedPostgres?

    /// Resolves `settings` into endpoints, starting the embedded cluster if needed, without migrating.
    public static func open(_ settings: DatabaseSettings, logger: Logger) async throws -> DatabaseTarget {
        let target: DatabaseTarget
        if let url = settings.databaseURL {
            target = DatabaseTarget(
                application: try DatabaseEndpoint(url: url),
                owner: try settings.ownerURL.map { try DatabaseEndpoint(url: $0) },
                embedded: nil
            )
        } else {
            let embedded = try await EmbeddedPostgres.start(dataDirectory: settings.dataDirectory, logger: logger)
            target = DatabaseTarget(application: embedded.applicationEndpoint, owner: embedded.ownerEndpoint, embedded: embedded)
        }
        var application = target.application
        application.maximumConnections = settings.poolSize ?? application.maximumConnections
        application.usesPreparedStatements = settings.preparedStatements
        application.acquireTimeout = settings.acquireTimeout
        application.engine = settings.engine
        var owner = target.owner
        owner?.acquireTimeout = settings.acquireTimeout
        if let connectTimeout = settings.connectTimeout {
            application.connectTimeout = connectTimeout
            owner?.connectTimeout = connectTimeout
        }
        return DatabaseTarget(application: application, owner: owner, embedded: target.embedded)
    }

    /// Opens the database and makes it ready for the application: migrates when the owner is known
    /// (otherwise checks that nothing is pending) and loads the reference units into an empty unit table.
    public static func prepare(_ settings: DatabaseSettings, logger: Logger) async throws -> DatabaseTarget {
        let target = try await open(settings, logger: logger)
        do {
            try await target.migrateAndLoadReference(logger: logger)
        } catch {
            await target.close()
            throw error
        }
        return target
    }

    /// The owner endpoint, or an error saying how to provide it.
    public func requireOwner() throws(DatabaseError) -> DatabaseEndpoint {
        guard let owner else {
            throw DatabaseError(
                .schemaOutdated,
                "this needs the database owner role: set CDS_DATABASE_OWNER_URL to a postgres:// URL of cds_owner (or unset CDS_DATABASE_URL to use the embedded cluster)"
            )
        }
        return owner
    }

    /// Migrates as the owner, when it is known, and loads the reference units into an empty unit table; without the
    /// owner, checks that nothing is pending.
    /// - Returns: the versions of the migrations applied now.
    @discardableResult
    public func migrateAndLoadReference(logger: Logger) async throws -> [Int] {
        guard let owner else {
            try await Database.withDatabase(application, logger: logger) { database in
                try await database.checkSchemaCurrent()
            }
            return []
        }
        return try await Database.withDatabase(owner, logger: logger) { database in
            let applied = try await MigrationRunner(database: database).migrate()
            if !applied.isEmpty { logger.info("migrated", metadata: ["cds.migrations": "\(applied.map(\.version))"]) }
            if try await database.unitCount() == 0 {
                let summary = try await UnitImporter(database: database).importReferenceUnits()
                logger.info("loaded the Sơn La reference units", metadata: ["cds.units": "\(summary.inserted)"])
            }
            return applied.map(\.version)
        }
    }

    /// Stops the embedded cluster if this process started it.
    public func close() async {
        await embedded?.stop()
    }
}

extension Database {
    /// - Throws: ``DatabaseError/schemaOutdated`` when migrations are pending or the schema is missing.
    public func checkSchemaCurrent() async throws {
        let bundled = try Migration.bundled()
        let applied: [Int]
        do {
            applied = try await withTransaction { connection in
                var versions: [Int] = []
                for try await version in try await connection.query("SELECT version FROM cds_meta.schema_migrations", logger: logger).decode(Int.self)
                {
                    versions.append(version)
                }
                return versions
            }
        } catch {
            throw DatabaseError(
                .schemaOutdated,
                "the database has no cds schema yet: run `cds-admin db migrate` with CDS_DATABASE_OWNER_URL set",
                cause: error
            )
        }
        let pending = Set(bundled.map(\.version)).subtracting(applied)
        guard pending.isEmpty else {
            throw DatabaseError(
                .schemaOutdated,
                "migrations \(pending.sorted()) are pending: run `cds-admin db migrate` with CDS_DATABASE_OWNER_URL set"
            )
        }
    }

    /// - Throws: ``DatabaseError/Code/engineMismatch`` when the database is not served by the engine the settings
    ///   name: a Citus coordinator run as plain PostgreSQL would fail every list page, and the other way round
    ///   would read every page as a sort of whole districts.
    public func checkEngine() async throws {
        let isCitus = try await withTransaction { connection in
            var found = false
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: DatabaseEngine.detection), logger: logger).decode(Bool.self) {
                found = value
            }
            return found
        }
        let actual: DatabaseEngine = isCitus ? .citus : .postgresql
        guard actual == endpoint.engine else {
            throw DatabaseError(
                .engineMismatch,
                "\(endpoint) is served by \(actual), but CDS_DATABASE_ENGINE is \(endpoint.engine.rawValue): set CDS_DATABASE_ENGINE=\(actual.rawValue)"
            )
        }
    }

    func unitCount() async throws -> Int {
        try await withTransaction { connection in
            var count = 0
            for try await value in try await connection.query("SELECT count(*)::int FROM cds.units", logger: logger).decode(Int.self) {
                count = value
            }
            return count
        }
    }
}
