import CDSCore
import Foundation
import Logging
import PostgresNIO

/// Principals, credentials and grants: the shared tables read to authenticate a caller and compute the
/// tenant scope of its transactions, before any scope exists.
///
/// Every write runs in a transaction that names its actor, so the control audit log records who did it.
public struct ControlPlane: Sendable {
    let database: Database
    /// What this server keeps of the control plane, emptied after every change made here; nil for none.
    let cache: ControlPlaneCache?
    /// bcrypt's cost for the passwords this control plane sets (each step doubles the work).
    let passwordCost: UInt8
    /// OWASP's floor for bcrypt: about a quarter of a second a password on a server core.
    public static let standardPasswordCost: UInt8 = 12

    /// - Parameters:
    ///   - database: a pool as the application role.
    ///   - cache: what the server keeps of the control plane (verified tokens, reference data), if anything.
    ///   - passwordCost: bcrypt's cost: ``standardPasswordCost`` unless a test wants passwords cheap.
    public init(database: Database, cache: ControlPlaneCache? = nil, passwordCost: UInt8 = standardPasswordCost) {
        self.database = database
        self.cache = cache
        self.passwordCost = passwordCost
    }

    func withTransaction<Result>(
        actor: AuditActor,
        _ body: (LeasedConnection) async throws -> sending Result
    ) async throws -> sending Result {
        // Also when the transaction fails: its COMMIT may have reached the database before the error did.
        defer { cache?.invalidate() }
        return try await database.withTransaction { connection in
            // No tenant: the control plane's tables have no tenancy policy, and its work reaches no district's rows.
            try await connection.rows(of: ScopeSettingsStatement(scope: TenantScope([]), actor: actor, plans: .cached), logger: database.logger)
            return try await body(connection)
        }
    }

    // MARK: Principals

    /// Creates a staff account whose home is the national unit `homeUnit`: only those who hold `users.manage` there
    /// (and over every unit the account is later granted) manage it.
    /// - Throws: ``ControlPlaneError`` when the name is malformed or taken, or the unit unknown.
    public func createStaffUser(name: String, displayName: String?, homeUnit: Int, actor: AuditActor) async throws -> UUID {
        guard Self.isValidName(name) else {
            throw ControlPlaneError(
                .invalid,
                "'\(name)' is not a valid user name: 2–63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        }
        let display = try VietnameseText.optional(displayName, field: "display_name", maxLength: 120)
        return try await withTransaction(actor: actor) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO cds.principals (kind, name, display_name, home_unit_code)
                SELECT 'staff', \(name), \(display), code FROM cds.units WHERE code = \(homeUnit)
                ON CONFLICT (name) DO NOTHING
                RETURNING id
                """,
                logger: database.logger
            )
            for try await id in rows.decode(UUID.self) { return id }
            let units = try await connection.query("SELECT 1 FROM cds.units WHERE code = \(homeUnit)", logger: database.logger)
            for try await _ in units.decode(Int.self) {
                throw ControlPlaneError(.conflict, "a principal named '\(name)' exists already")
            }
            throw ControlPlaneError(.notFound, "no unit has the code \(homeUnit)")
        }
    }

    /// The id of the principal named `name`, if any.
    public func principalID(named name: String) async throws -> UUID? {
        try await database.withTransaction { connection in
            for try await id in try await connection.query("SELECT id FROM cds.principals WHERE name = \(name)", logger: database.logger)
                .decode(UUID.self)
            {
                return id
            }
            return nil
        }
    }

    static func isValidName(_ name: String) -> Bool {
        (2...63).contains(name.count) && name.first.map { $0.isASCII && ($0.isLowercase || $0.isNumber) } == true
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }
    }

    // MARK: Grants

    /// Gives `principal` the role `role` on the national unit `unitCode`. Granting what exists already is no error.
    /// - Throws: ``ControlPlaneError/notFound`` for an unknown principal, role or unit; ``ControlPlaneError/wrongLevel``
    ///   when the role's level does not fit the unit's (``RoleLevel``).
    public func grant(role: String, unitCode: Int, to principal: UUID, grantedBy: UUID?, actor: AuditActor) async throws {
        try await withTransaction(actor: actor) { connection in
            let known = try await connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM cds.principals WHERE id = \(principal)),
                       (SELECT level FROM cds.roles WHERE name = \(role)),
                       (SELECT level FROM cds.units WHERE code = \(unitCode))
                """,
                logger: database.logger
            )
            for try await (hasPrincipal, roleLevel, unitLevel) in known.decode((Bool, String?, String?).self) {
                guard hasPrincipal else { throw ControlPlaneError(.notFound, "no principal has the id \(principal)") }
                guard let roleLevel = roleLevel.flatMap(RoleLevel.init) else { throw ControlPlaneError(.notFound, "there is no role '\(role)'") }
                guard let unitLevel = unitLevel.flatMap(UnitLevel.init) else {
                    throw ControlPlaneError(.notFound, "no unit has the code \(unitCode)")
                }
                guard roleLevel.fits(unitLevel) else {
                    throw ControlPlaneError(.wrongLevel, "\(role) is a \(roleLevel.rawValue) role: grant it \(roleLevel.grantableOn)")
                }
            }
            try await connection.query(
                """
                INSERT INTO cds.grants (principal_id, role, unit_code, granted_by)
                VALUES (\(principal), \(role), \(unitCode), \(grantedBy))
                ON CONFLICT (principal_id, role, unit_code) DO NOTHING
                """,
                logger: database.logger
            )
        }
    }

    /// Whether some active staff account holds `province_admin` (the province has been bootstrapped).
    public func hasProvinceAdmin() async throws -> Bool {
        try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT EXISTS (
                    SELECT 1 FROM cds.grants g JOIN cds.principals p ON p.id = g.principal_id
                    WHERE g.role = 'province_admin' AND p.status = 'active')
                """,
                logger: database.logger
            )
            for try await exists in rows.decode(Bool.self) { return exists }
            return false
        }
    }

    // MARK: Tokens

    /// Issues a bearer token for `principal`. The token is returned once and stored only as its hash.
    ///
    /// - Parameter issuedWith: the token the asking principal presented, when it is not an operator on the database
    ///   host. The schema refuses a token issued for another account unless that token's principal covers the account
    ///   (`cds.covers`: it manages it and holds everything the account holds), and revokes it as soon as it no longer
    ///   does, or as soon as the token it was issued with is revoked; it never expires later than that token.
    /// - Throws: ``ControlPlaneError/notFound`` for an unknown account, ``ControlPlaneError/notPermitted`` when the
    ///   issuer does not cover it.
    public func issueToken(
        for principal: UUID,
        issuedWith: UUID?,
        label: String?,
        expiresAt: Date?,
        actor: AuditActor
    ) async throws -> (id: UUID, token: String) {
        let token = BearerToken.generate()
        let id = try await withTransaction(actor: actor) { connection in
            do {
                let rows = try await connection.query(
                    """
                    INSERT INTO cds.credentials (principal_id, kind, secret_sha256, label, expires_at, issued_with)
                    SELECT id, 'bearer_token', \(BearerToken.sha256(token)), \(label), \(expiresAt), \(issuedWith)
                    FROM cds.principals WHERE id = \(principal) AND kind = 'staff'
                    RETURNING id
                    """,
                    logger: database.logger
                )
                for try await id in rows.decode(UUID.self) { return id }
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
                // cds.check_token_issuer: the issuer does not cover the account (its reach changed since the API checked),
                // or cds.derive_token_issuer: the token it presented was revoked meanwhile.
                throw ControlPlaneError(.notPermitted, "a token for this account would give you permissions you do not hold")
            }
            throw ControlPlaneError(.notFound, "no staff account has the id \(principal)")
        }
        return (id, token)
    }

    /// Revokes a token: refused from now on.
    /// - Throws: ``ControlPlaneError/notFound`` when no unrevoked token has that id.
    public func revokeToken(id: UUID, actor: AuditActor) async throws {
        try await withTransaction(actor: actor) { connection in
            let rows = try await connection.query(
                "UPDATE cds.credentials SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL RETURNING id",
                logger: database.logger
            )
            for try await _ in rows.decode(UUID.self) { return }
            throw ControlPlaneError(.notFound, "no active token has the id \(id)")
        }
    }

    /// The principal a bearer token belongs to, with its grants; `nil` for an unknown, revoked or expired
    /// token, or a disabled account.
    public func authenticate(token: String) async throws -> AuthenticatedPrincipal? {
        guard token.hasPrefix(BearerToken.prefix), token.count < 200 else { return nil }
        let key = BearerToken.sha256(token)
        if let known = cache?.tokens.principal(for: key) { return known }
        let generation = cache?.tokens.generation()
        guard let found = try await lookUp(key, kind: "bearer_token") else { return nil }
        if let generation { cache?.tokens.keep(found.principal, for: key, expiresAt: found.expiresAt, from: generation) }
        return found.principal
    }

    /// The live credential of `kind` whose secret hashes to `key`: its principal with grants, the language the
    /// account reads the console in, and when the credential expires. One statement, outside a transaction: it runs on
    /// every request, and BEGIN / COMMIT would triple its round trips.
    func lookUp(_ key: Data, kind: String) async throws -> (principal: AuthenticatedPrincipal, language: String, expiresAt: Date?)? {
        var first: CredentialLookupStatement.Row?
        var grants: [AccessPolicy.Grant] = []
        for row in try await database.rows(of: CredentialLookupStatement(secretSHA256: key, kind: kind)) {
            first = first ?? row
            if let role = row.role, let unit = row.unitCode { grants.append(.init(role: role, unitCode: unit)) }
        }
        guard let row = first else { return nil }
        let principal = AuthenticatedPrincipal(
            id: row.id,
            credential: row.credential,
            name: row.name,
            kind: PrincipalKind(rawValue: row.kind) ?? .staff,
            grants: grants
        )
        return (principal, row.language, row.expiresAt)
    }

    // MARK: Reference for access decisions

    /// The national unit tree.
    public func unitHierarchy() async throws -> UnitHierarchy {
        try await database.withTransaction { connection in
            var units: [(code: Int, parentCode: Int?, level: UnitLevel)] = []
            for try await (code, parent, level) in try await connection.query(
                "SELECT code, parent_code, level FROM cds.units",
                logger: database.logger
            ).decode((Int, Int?, String).self) {
                if let level = UnitLevel(rawValue: level) { units.append((code, parent, level)) }
            }
            return UnitHierarchy(units: units)
        }
    }

    /// Every role's permissions.
    public func rolePermissions() async throws -> [String: Set<Permission>] {
        try await database.withTransaction { connection in
            var roles: [String: Set<Permission>] = [:]
            for try await (role, permission) in try await connection.query(
                "SELECT role, permission FROM cds.role_permissions",
                logger: database.logger
            ).decode((String, String).self) {
                if let permission = Permission(rawValue: permission) { roles[role, default: []].insert(permission) }
            }
            return roles
        }
    }
}
