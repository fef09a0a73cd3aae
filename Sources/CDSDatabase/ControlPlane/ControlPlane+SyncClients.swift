import CDSCore
import Foundation
import PostgresNIO

extension ControlPlane {
    /// The sync client whose certificate has this fingerprint, whatever its status; `nil` when none.
    public func syncClient(certificateSHA256 fingerprint: Data) async throws -> SyncClient? {
        try await database.withConnection { connection in
            try await Self.syncClients(where: "certificate_sha256 = \(fingerprint)", on: connection, logger: database.logger).first
        }
    }

    /// Every registered sync client, by name.
    public func syncClients() async throws -> [SyncClient] {
        try await database.withConnection { connection in
            try await Self.syncClients(where: "true", on: connection, logger: database.logger)
        }
    }

    /// Registers a sync client; or, `replacing`, gives a client already registered under the name this certificate
    /// and these districts and makes it active again (how the development client is kept current on every start).
    /// - Parameter districts: `nil` for every district.
    /// - Throws: ``ControlPlaneError`` when the name is malformed, or taken (unless `replacing`), or another client
    ///   has the certificate.
    @discardableResult
    public func registerSyncClient(
        name: String,
        certificateSHA256 fingerprint: Data,
        districts: Set<TenantID>?,
        replacing: Bool = false,
        actor: AuditActor
    ) async throws -> SyncClient {
        guard name.wholeMatch(of: /[a-z0-9][a-z0-9._-]{1,62}/) != nil else {
            throw ControlPlaneError(.invalid, "'\(name)' is not a valid sync client name: 2–63 lowercase letters, digits, '.', '_' or '-'")
        }
        guard districts?.isEmpty != true else { throw ControlPlaneError(.invalid, "a sync client needs at least one district") }
        let codes = districts.map { $0.map { Int($0.rawValue) }.sorted() }
        do {
            return try await withTransaction(actor: actor) { connection in
                let written = try await connection.query(
                    """
                    INSERT INTO cds.sync_clients (name, certificate_sha256, districts) VALUES (\(name), \(fingerprint), \(codes))
                    ON CONFLICT (name) DO UPDATE SET certificate_sha256 = excluded.certificate_sha256,
                        districts = excluded.districts, status = 'active', updated_at = now()
                    WHERE \(replacing)
                    RETURNING id
                    """,
                    logger: database.logger
                ).collect().count
                guard written == 1 else { throw ControlPlaneError(.conflict, "a sync client is named \(name) already") }
                return try await Self.syncClients(where: "name = \(name)", on: connection, logger: database.logger)[0]
            }
        } catch let error where ConstraintViolation(error)?.kind == .unique {
            throw ControlPlaneError(.conflict, "another sync client has this certificate")
        }
    }

    /// Disables or re-enables a sync client: a disabled one is refused at its next call.
    /// - Returns: the client as it is now.
    /// - Throws: ``ControlPlaneError`` `.notFound` for an unknown name.
    @discardableResult
    public func setSyncClientStatus(name: String, _ status: SyncClient.Status, actor: AuditActor) async throws -> SyncClient {
        let client = try await withTransaction(actor: actor) { connection in
            try await connection.query(
                "UPDATE cds.sync_clients SET status = \(status.rawValue), updated_at = now() WHERE name = \(name)",
                logger: database.logger
            )
            return try await Self.syncClients(where: "name = \(name)", on: connection, logger: database.logger).first
        }
        guard let client else { throw ControlPlaneError(.notFound, "no sync client is named \(name)") }
        return client
    }

    private static func syncClients(
        where condition: PostgresQuery,
        on connection: LeasedConnection,
        logger: Logger
    ) async throws -> [SyncClient] {
        let query = PostgresQuery(
            unsafeSQL: "SELECT id, name, certificate_sha256, districts, status FROM cds.sync_clients WHERE \(condition.sql) ORDER BY name",
            binds: condition.binds
        )
        var clients: [SyncClient] = []
        for try await (id, name, fingerprint, districts, status) in try await connection.query(query, logger: logger)
            .decode((UUID, String, Data, [Int]?, String).self)
        {
            clients.append(
                SyncClient(
                    id: id,
                    name: name,
                    certificateSHA256: fingerprint,
                    districts: districts.map { Set($0.map { TenantID($0) }) },
                    status: SyncClient.Status(rawValue: status) ?? .disabled
                )
            )
        }
        return clients
    }
}
