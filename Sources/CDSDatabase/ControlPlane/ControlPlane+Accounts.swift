import CDSCore
import Foundation
import PostgresNIO

extension ControlPlane {
    /// One staff account with its grants.
    public func staffAccount(id: UUID) async throws -> StaffAccount? {
        try await staffAccounts(only: id).first
    }

    /// The staff account that holds the grant `grantID`, with all its grants.
    public func staffAccount(holdingGrant grantID: UUID) async throws -> StaffAccount? {
        try await staffAccounts(holdingGrant: grantID).first
    }

    /// Every staff account with its grants, by name (or the one with the id `only`, or the one holding the grant
    /// `holdingGrant`). The admin API narrows this to what a caller may see.
    public func staffAccounts(only id: UUID? = nil, holdingGrant grantID: UUID? = nil) async throws -> [StaffAccount] {
        try await database.withTransaction { connection in
            var accounts: [UUID: StaffAccount] = [:]
            var order: [UUID] = []
            let rows = try await connection.query(
                """
                SELECT p.id, p.name, p.display_name, p.status, p.created_at, p.home_unit_code, g.id, g.role, g.unit_code
                FROM cds.principals p LEFT JOIN cds.grants g ON g.principal_id = p.id
                WHERE p.kind = 'staff' AND (\(id)::uuid IS NULL OR p.id = \(id))
                  AND (\(grantID)::uuid IS NULL OR p.id = (SELECT principal_id FROM cds.grants WHERE id = \(grantID)))
                ORDER BY p.name, g.created_at, g.id
                """,
                logger: database.logger
            )
            for try await (id, name, display, status, created, home, grantID, role, unit) in rows.decode(
                (UUID, String, String?, String, Date, Int, UUID?, String?, Int?).self
            ) {
                if accounts[id] == nil {
                    accounts[id] = StaffAccount(
                        id: id,
                        name: name,
                        displayName: display,
                        status: status,
                        homeUnitCode: home,
                        createdAt: created,
                        grants: []
                    )
                    order.append(id)
                }
                if let grantID, let role, let unit { accounts[id]?.grants.append(.init(id: grantID, role: role, unitCode: unit)) }
            }
            return order.compactMap { accounts[$0] }
        }
    }

    /// Removes a grant.
    /// - Throws: ``ControlPlaneError/notFound`` when no grant has that id.
    public func revokeGrant(id: UUID, actor: AuditActor) async throws {
        try await withTransaction(actor: actor) { connection in
            let rows = try await connection.query("DELETE FROM cds.grants WHERE id = \(id) RETURNING id", logger: database.logger)
            for try await _ in rows.decode(UUID.self) { return }
            throw ControlPlaneError(.notFound, "no grant has the id \(id)")
        }
    }

    /// Changes a staff account's display name and status (`active`, `disabled`: a disabled account's tokens are
    /// refused at once). `nil` leaves a field as it is.
    public func updateStaffUser(id: UUID, displayName: String?, status: String?, actor: AuditActor) async throws {
        try await withTransaction(actor: actor) { connection in
            let rows = try await connection.query(
                """
                UPDATE cds.principals SET display_name = coalesce(\(displayName), display_name), status = coalesce(\(status), status),
                                          updated_at = now()
                WHERE id = \(id) AND kind = 'staff' RETURNING id
                """,
                logger: database.logger
            )
            for try await _ in rows.decode(UUID.self) { return }
            throw ControlPlaneError(.notFound, "no user has the id \(id)")
        }
    }

    /// The tokens of a principal, newest first.
    public func tokens(of principal: UUID) async throws -> [TokenRecord] {
        try await database.withTransaction { connection in
            var tokens: [TokenRecord] = []
            let rows = try await connection.query(
                """
                SELECT id, principal_id, label, created_at, expires_at, revoked_at FROM cds.credentials
                WHERE principal_id = \(principal) AND kind = 'bearer_token' ORDER BY created_at DESC, id
                """,
                logger: database.logger
            )
            for try await (id, owner, label, created, expires, revoked) in rows.decode((UUID, UUID, String?, Date, Date?, Date?).self) {
                tokens.append(TokenRecord(id: id, principalID: owner, label: label, createdAt: created, expiresAt: expires, revokedAt: revoked))
            }
            return tokens
        }
    }

    /// The token with this id, if any.
    public func token(id: UUID) async throws -> TokenRecord? {
        try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT id, principal_id, label, created_at, expires_at, revoked_at FROM cds.credentials
                WHERE id = \(id) AND kind = 'bearer_token'
                """,
                logger: database.logger
            )
            for try await (id, owner, label, created, expires, revoked) in rows.decode((UUID, UUID, String?, Date, Date?, Date?).self) {
                return TokenRecord(id: id, principalID: owner, label: label, createdAt: created, expiresAt: expires, revokedAt: revoked)
            }
            return nil
        }
    }
}
