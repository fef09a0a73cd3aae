import CDSCore
import Foundation
import PostgresNIO

extension ControlPlane {
    /// The sync client whose certificate has this fingerprint, whatever its status; `nil` when none.
    public func syncClient(certificateSHA256 fingerprint: Data) async throws -> SyncClient? {
        try await registrations(SyncClient.self, where: "certificate_sha256 = \(fingerprint)").first
    }

    /// Every registered sync client, by name.
    public func syncClients() async throws -> [SyncClient] {
        try await registrations(SyncClient.self, where: "true")
    }

    /// Registers a sync client.
    /// - Parameters:
    ///   - districts: `nil` for every district.
    ///   - sources: the source systems it may push under, at least one.
    /// - Throws: ``ControlPlaneError`` when the name or a source is malformed, or the name is taken, or another client
    ///   has the certificate.
    @discardableResult
    public func registerSyncClient(
        name: String,
        certificateSHA256 fingerprint: Data,
        districts: Set<TenantID>?,
        sources: Set<String>,
        actor: AuditActor
    ) async throws -> SyncClient {
        try Self.requireSourceNames(sources)
        let codes = districts.map { $0.map { Int($0.rawValue) }.sorted() }
        do {
            return try await register(
                SyncClient.self,
                name: name,
                districts: districts,
                actor: actor,
                inserting: "(name, certificate_sha256, districts, sources) VALUES (\(name), \(fingerprint), \(codes), \(sources.sorted()))"
            )
        } catch let error where ConstraintViolation(error)?.kind == .unique {
            throw ControlPlaneError(.conflict, "another sync client has this certificate")
        }
    }

    /// Registers the server's development client (every district, every source) when no client has its name; a
    /// client of that name is left exactly as it is — an operator who disabled or narrowed it decides, not a restart.
    /// - Returns: the client of that name as it is now.
    @discardableResult
    public func registerDevelopmentSyncClient(name: String, certificateSHA256 fingerprint: Data) async throws -> SyncClient {
        try await withTransaction(actor: .operator("cds-server")) { connection in
            try await connection.query(
                """
                INSERT INTO cds.sync_clients (name, certificate_sha256, districts, sources)
                VALUES (\(name), \(fingerprint), NULL, NULL)
                ON CONFLICT DO NOTHING
                """,
                logger: database.logger
            )
            guard let client = try await Self.registrations(SyncClient.self, where: "name = \(name)", on: connection, logger: database.logger).first
            else {
                throw ControlPlaneError(.conflict, "another sync client has the development certificate")
            }
            return client
        }
    }

    /// Replaces the source systems a sync client may push under.
    /// - Returns: the client as it is now.
    /// - Throws: ``ControlPlaneError`` `.notFound` for an unknown name, `.invalid` for a malformed source or none.
    @discardableResult
    public func setSyncClientSources(name: String, _ sources: Set<String>, actor: AuditActor) async throws -> SyncClient {
        try Self.requireSourceNames(sources)
        return try await updateRegistration(
            SyncClient.self,
            name: name,
            "SET sources = \(sources.sorted()), updated_at = now() WHERE name = \(name)",
            actor: actor
        )
    }

    /// - Throws: ``ControlPlaneError/invalid`` unless there is at least one source and each is one a push may name.
    private static func requireSourceNames(_ sources: Set<String>) throws {
        guard !sources.isEmpty else { throw ControlPlaneError(.invalid, "a sync client needs at least one source system") }
        for source in sources.sorted() where !SyncClient.isSourceName(source) {
            throw ControlPlaneError(.invalid, "'\(source)' is not a source system: 1 to 64 of [a-z0-9._-], and not 'local'")
        }
    }

    /// Disables or re-enables a sync client: a disabled one is refused at its next call.
    /// - Returns: the client as it is now.
    /// - Throws: ``ControlPlaneError`` `.notFound` for an unknown name.
    @discardableResult
    public func setSyncClientStatus(name: String, _ status: SyncClient.Status, actor: AuditActor) async throws -> SyncClient {
        try await setStatus(of: SyncClient.self, name: name, status.rawValue, actor: actor)
    }
}

extension SyncClient: NamedRegistration {
    static let table = "cds.sync_clients"
    static let noun = "sync client"
    static let columns = "id, name, certificate_sha256, districts, sources, status"

    init(row: PostgresRow) throws {
        let (id, name, fingerprint, districts, sources, status) = try row.decode((UUID, String, Data, [Int]?, [String]?, String).self)
        self.init(
            id: id,
            name: name,
            certificateSHA256: fingerprint,
            districts: districts.map { Set($0.map { TenantID($0) }) },
            sources: sources.map(Set.init),
            status: SyncClient.Status(rawValue: status) ?? .disabled
        )
    }
}
