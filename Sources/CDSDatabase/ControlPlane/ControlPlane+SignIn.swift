import CDSCore
import Foundation
import HummingbirdBcrypt
import NIOPosix
import PostgresNIO
import Synchronization

/// Sign-in for people: invitations, passwords and console sessions (migration 0022).
extension ControlPlane {
    /// How long an invitation link stays usable.
    public static let invitationLifetime: TimeInterval = 48 * 3600
    /// How long a console session lasts from sign-in: a working day.
    public static let sessionLifetime: TimeInterval = 12 * 3600
    /// The prefix of invitation secrets, which travel in links.
    public static let invitationPrefix = "cdsi_"
    /// The prefix of session secrets, which travel in cookies: never accepted as a bearer token.
    public static let sessionPrefix = "cdss_"

    /// Issues a one-time link secret with which `account` chooses a password, valid for 48 hours; earlier open
    /// invitations of the account are revoked. The issuer must cover the account, as for a token issued for it.
    /// - Throws: ``ControlPlaneError`` `.notFound` for an unknown staff account, `.notPermitted` when the issuer's
    ///   reach changed since the caller checked it.
    public func invite(account: UUID, issuedBy issuer: UUID, actor: AuditActor) async throws -> (token: String, expiresAt: Date) {
        let token = BearerToken.generate(prefix: Self.invitationPrefix)
        let expiresAt = Date(timeIntervalSinceNow: Self.invitationLifetime)
        try await withTransaction(actor: actor) { connection in
            _ = try await connection.query(
                """
                UPDATE cds.credentials SET revoked_at = now(), revocation_reason = 'superseded'
                WHERE principal_id = \(account) AND kind = 'invitation' AND revoked_at IS NULL
                """,
                logger: database.logger
            )
            do {
                let rows = try await connection.query(
                    """
                    INSERT INTO cds.credentials (principal_id, kind, secret_sha256, label, expires_at, issued_by)
                    SELECT id, 'invitation', \(BearerToken.sha256(token)), 'console invitation', \(expiresAt), \(issuer)
                    FROM cds.principals WHERE id = \(account) AND kind = 'staff'
                    RETURNING id
                    """,
                    logger: database.logger
                )
                for try await _ in rows.decode(UUID.self) { return }
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42501" {
                throw ControlPlaneError(.notPermitted, "an invitation for this account would give you permissions you do not hold")
            }
            throw ControlPlaneError(.notFound, "no staff account has the id \(account)")
        }
        return (token, expiresAt)
    }

    /// The active account an open invitation is for, or nil for a secret that is unknown, used, revoked or expired.
    public func invitedAccount(token: String) async throws -> InvitedAccount? {
        guard token.hasPrefix(Self.invitationPrefix), token.count < 200 else { return nil }
        return try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT p.id, p.name, p.display_name, p.language, c.expires_at
                FROM cds.credentials c JOIN cds.principals p ON p.id = c.principal_id
                WHERE c.secret_sha256 = \(BearerToken.sha256(token)) AND c.kind = 'invitation'
                  AND c.revoked_at IS NULL AND c.expires_at > now() AND p.status = 'active'
                """,
                logger: database.logger
            )
            for try await (id, name, display, language, expires) in rows.decode((UUID, String, String?, String, Date).self) {
                return InvitedAccount(id: id, name: name, displayName: display, language: language, expiresAt: expires)
            }
            return nil
        }
    }

    /// Sets the invited account's password and uses the invitation up; every session of the account ends, so that
    /// whoever knew the old password is signed out.
    /// - Returns: the account, or nil when the invitation is no longer open (nothing is changed).
    /// - Throws: ``ValidationError`` for a password that breaks ``StaffPassword``'s rules.
    public func acceptInvitation(token: String, password: String, requestID: String?) async throws -> InvitedAccount? {
        guard let invited = try await invitedAccount(token: token) else { return nil }
        let checked = try StaffPassword.validated(password, accountName: invited.name)
        let hash = try await Self.offloaded { Bcrypt.hash(checked, cost: passwordCost) }
        let accepted = try await withTransaction(actor: AuditActor(kind: "user", name: invited.name, requestID: requestID)) { connection in
            // Only one use: the update that revokes the invitation is the one that may set the password.
            let used = try await connection.query(
                """
                UPDATE cds.credentials SET revoked_at = now(), revocation_reason = 'used', last_used_at = now()
                WHERE secret_sha256 = \(BearerToken.sha256(token)) AND kind = 'invitation'
                  AND revoked_at IS NULL AND expires_at > now()
                RETURNING principal_id
                """,
                logger: database.logger
            )
            var account: UUID?
            for try await id in used.decode(UUID.self) { account = id }
            guard let account, account == invited.id else { return false }
            try await connection.query(
                """
                INSERT INTO cds.staff_passwords (principal_id, password_bcrypt) VALUES (\(account), \(hash))
                ON CONFLICT (principal_id) DO UPDATE SET password_bcrypt = excluded.password_bcrypt, set_at = now()
                """,
                logger: database.logger
            )
            try await connection.query(
                """
                UPDATE cds.credentials SET revoked_at = now(), revocation_reason = 'password_changed'
                WHERE principal_id = \(account) AND kind = 'console_session' AND revoked_at IS NULL
                """,
                logger: database.logger
            )
            return true
        }
        return accepted ? invited : nil
    }

    /// Checks a name and password (and, for an account with a second factor, `code`: see ``totpEnabled(for:)``) and
    /// opens a session of ``sessionLifetime``.
    /// - Returns: the session's secret for the cookie, or nil for a wrong name, password or code, or a disabled
    ///   account: one answer whichever it is, so that a guesser learns nothing of the password from the code.
    public func signIn(name: String, password: String, code: String = "", requestID: String?) async throws -> ConsoleSignIn? {
        let stored = try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT p.id, s.password_bcrypt FROM cds.principals p JOIN cds.staff_passwords s ON s.principal_id = p.id
                WHERE p.name = \(name) AND p.kind = 'staff' AND p.status = 'active'
                """,
                logger: database.logger
            )
            var found: (id: UUID, hash: String)?
            for try await (id, hash) in rows.decode((UUID, String).self) { found = (id, hash) }
            return found
        }
        // An unknown name costs what a wrong password costs, so the time of the answer does not tell which it was.
        let matches = try await Self.offloaded {
            Bcrypt.verify(password.utf8.count <= StaffPassword.maximumBytes ? password : "", hash: stored?.hash ?? Self.decoyHash(cost: passwordCost))
        }
        guard let stored, matches else { return nil }
        let token = BearerToken.generate(prefix: Self.sessionPrefix)
        let expiresAt = Date(timeIntervalSinceNow: Self.sessionLifetime)
        let opened = try await withTransaction(actor: AuditActor(kind: "user", name: name, requestID: requestID)) { connection in
            if try await Self.needsCode(stored.id, on: connection, logger: database.logger),
                try await acceptCode(code, of: stored.id, enabled: true, on: connection) == nil
            {
                return false
            }
            try await connection.query(
                """
                INSERT INTO cds.credentials (principal_id, kind, secret_sha256, label, expires_at, issued_by)
                VALUES (\(stored.id), 'console_session', \(BearerToken.sha256(token)), 'console', \(expiresAt), \(stored.id))
                """,
                logger: database.logger
            )
            return true
        }
        guard opened else { return nil }
        return ConsoleSignIn(account: stored.id, session: token, expiresAt: expiresAt)
    }

    /// Whether `password` is the active staff account's own: asked again before a change that would lock the account
    /// out if made by someone who found a session open (turning on two-step sign-in).
    public func passwordMatches(_ password: String, of account: UUID) async throws -> Bool {
        let hash = try await database.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT s.password_bcrypt FROM cds.staff_passwords s JOIN cds.principals p ON p.id = s.principal_id
                WHERE s.principal_id = \(account) AND p.status = 'active'
                """,
                logger: database.logger
            )
            var found: String?
            for try await hash in rows.decode(String.self) { found = hash }
            return found
        }
        guard let hash, password.utf8.count <= StaffPassword.maximumBytes else { return false }
        return try await Self.offloaded { Bcrypt.verify(password, hash: hash) }
    }

    /// The principal of a live session and the language it reads the console in, or nil. Not cached: ending a
    /// session or disabling its account takes effect at the next request, on every server.
    public func authenticate(session: String) async throws -> (principal: AuthenticatedPrincipal, language: String)? {
        guard session.hasPrefix(Self.sessionPrefix), session.count < 200 else { return nil }
        return try await lookUp(BearerToken.sha256(session), kind: "console_session").map { ($0.principal, $0.language) }
    }

    /// Ends a session (sign-out): refused from now on, on every server.
    public func endSession(_ session: String, actor: AuditActor) async throws {
        try await withTransaction(actor: actor) { connection in
            _ = try await connection.query(
                """
                UPDATE cds.credentials SET revoked_at = now(), revocation_reason = 'signed_out'
                WHERE secret_sha256 = \(BearerToken.sha256(session)) AND kind = 'console_session' AND revoked_at IS NULL
                """,
                logger: database.logger
            )
        }
    }

    /// Sets the language an account reads the console in (`vi` or `en`).
    public func setLanguage(_ language: String, of account: UUID, actor: AuditActor) async throws {
        guard ["vi", "en"].contains(language) else { throw ControlPlaneError(.invalid, "the language is vi or en") }
        try await withTransaction(actor: actor) { connection in
            _ = try await connection.query(
                "UPDATE cds.principals SET language = \(language), updated_at = now() WHERE id = \(account) AND kind = 'staff'",
                logger: database.logger
            )
        }
    }

    /// A bcrypt hash of no one's password at the cost of real ones, verified against when the name is unknown.
    private static func decoyHash(cost: UInt8) -> String {
        decoyHashes.withLock { hashes in
            if let known = hashes[cost] { return known }
            let hash = Bcrypt.hash(BearerToken.generate(), cost: cost)
            hashes[cost] = hash
            return hash
        }
    }

    private static let decoyHashes = Mutex<[UInt8: String]>([:])

    /// bcrypt takes a tenth of a second or more on purpose: it runs on NIO's blocking pool, not a concurrency thread.
    private static func offloaded<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async throws -> Value {
        try await NIOThreadPool.singleton.runIfActive(work)
    }
}

/// The account an open invitation is for.
public struct InvitedAccount: Sendable, Hashable {
    public let id: UUID
    public let name: String
    public let displayName: String?
    public let language: String
    public let expiresAt: Date
}

/// A successful sign-in: the session secret goes into the cookie, never anywhere else.
public struct ConsoleSignIn: Sendable {
    public let account: UUID
    public let session: String
    public let expiresAt: Date
}
