import CDSDatabase
import Foundation
import Logging

/// The database of an operator command: `CDS_DATABASE_URL` (+ `CDS_DATABASE_OWNER_URL`) or the embedded
/// cluster in `CDS_DATA_DIR`, started for the command (and stopped after it, unless it was already running).
public enum OperatorDatabase {
    static var logger: Logger {
        var logger = Logger(label: "cds-admin")
        logger.logLevel = ProcessInfo.processInfo.environment["CDS_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }

    /// Replaces the environment's settings for the commands run in a task (tests run commands in-process).
    @TaskLocal public static var settingsOverride: DatabaseSettings?

    static var settings: DatabaseSettings { settingsOverride ?? .fromEnvironment() }

    /// Runs `body` with the database opened, migrated and loaded with the reference units.
    static func withPrepared<Result: Sendable>(_ body: (DatabaseTarget) async throws -> Result) async throws -> Result {
        let target = try await DatabaseTarget.prepare(settings, logger: logger)
        do {
            let result = try await body(target)
            await target.close()
            return result
        } catch {
            await target.close()
            throw error
        }
    }

    /// Runs `body` with a pool as the owner role.
    static func withOwner<Result: Sendable>(prepared: Bool = true, _ body: (Database) async throws -> Result) async throws -> Result {
        let target = try await prepared ? DatabaseTarget.prepare(settings, logger: logger) : DatabaseTarget.open(settings, logger: logger)
        do {
            let result = try await Database.withDatabase(try target.requireOwner(), logger: logger, body)
            await target.close()
            return result
        } catch {
            await target.close()
            throw error
        }
    }

    /// Runs `body` with the migration runner of a pool as the owner role, on the database as it is: not migrated first,
    /// since applying and checking the migrations is the caller's work.
    static func withMigrations<Result: Sendable>(_ body: (MigrationRunner) async throws -> Result) async throws -> Result {
        try await withOwner(prepared: false) { database in
            try await body(MigrationRunner(database: database))
        }
    }

    /// Runs `body` with a pool as the application role: tenant data through RLS, like any other surface.
    static func withApplication<Result: Sendable>(_ body: (Database) async throws -> Result) async throws -> Result {
        try await withPrepared { target in
            try await Database.withDatabase(target.application, logger: logger, body)
        }
    }
}
