import CDSDatabase
import Logging

extension Server {
    /// `cds-server migrate`: the schema brought up to date and the reference units loaded, as the owner, then exit —
    /// the step that runs before the server starts, so that the serving process never needs the owner's credentials.
    /// - Returns: the versions of the migrations applied now (none when the schema was current).
    /// - Throws: a ``DatabaseError`` naming `CDS_DATABASE_OWNER_URL` when an existing server's owner is not given.
    public static func migrate(configuration: ServerConfiguration, logger: Logger) async throws -> [Int] {
        let target = try await DatabaseTarget.open(configuration.database, logger: logger)
        do {
            _ = try target.requireOwner()
            let applied = try await target.migrateAndLoadReference(logger: logger)
            await target.close()
            return applied
        } catch {
            await target.close()
            throw error
        }
    }
}
