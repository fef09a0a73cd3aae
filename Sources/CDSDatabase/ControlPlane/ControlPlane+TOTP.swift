import CDSCore
import Foundation
import HummingbirdOTP
import PostgresNIO

/// A second factor for the console: a time-based one-time password (RFC 6238), which an account turns on for itself
/// with an authenticator app. Once on, signing in needs the password and a code of the moment, each code accepted
/// once; turning it off needs a code too, so that a session left open is not enough to remove it.
extension ControlPlane {
    /// What an authenticator app is given: the key to type in, and the `otpauth://` link that carries it.
    public struct TOTPEnrolment: Sendable {
        public let key: String
        public let link: String
    }

    /// Where an account's second factor stands: none, being set up (with what the app is given, shown again until a
    /// first code confirms it), or in force.
    public enum TOTPState: Sendable {
        case off
        case pending(TOTPEnrolment)
        case on
    }

    public func totpState(for account: UUID, name: String) async throws -> TOTPState {
        try await database.withTransaction { connection in
            let rows = try await connection.query(
                "SELECT totp_secret, enabled_at IS NOT NULL FROM cds.staff_totp WHERE principal_id = \(account)",
                logger: database.logger
            )
            for try await (secret, enabled) in rows.decode((String, Bool).self) {
                return enabled ? .on : .pending(StaffTOTP.enrolment(secret: secret, account: name))
            }
            return .off
        }
    }

    /// Whether signing in to `account` needs a code.
    public func totpEnabled(for account: UUID) async throws -> Bool {
        try await database.withTransaction { connection in try await Self.needsCode(account, on: connection, logger: database.logger) }
    }

    static func needsCode(_ account: UUID, on connection: LeasedConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT 1 FROM cds.staff_totp WHERE principal_id = \(account) AND enabled_at IS NOT NULL",
            logger: logger
        )
        for try await _ in rows.decode(Int.self) { return true }
        return false
    }

    /// A new secret for `account`, in force once ``confirmTOTP(for:code:actor:)`` is given one of its codes; it
    /// replaces a secret not yet confirmed. False when the account already has one in force.
    @discardableResult
    public func startTOTP(for account: UUID, actor: AuditActor) async throws -> Bool {
        let secret = StaffTOTP.newSecret()
        return try await withTransaction(actor: actor) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO cds.staff_totp (principal_id, totp_secret) VALUES (\(account), \(secret))
                ON CONFLICT (principal_id) DO UPDATE SET totp_secret = excluded.totp_secret, last_step = 0
                    WHERE cds.staff_totp.enabled_at IS NULL
                RETURNING 1
                """,
                logger: database.logger
            )
            for try await _ in rows.decode(Int.self) { return true }
            return false
        }
    }

    /// Puts the secret being set up in force when `code` is one of its codes now; false otherwise (nothing changes).
    public func confirmTOTP(for account: UUID, code: String, actor: AuditActor) async throws -> Bool {
        try await withTransaction(actor: actor) { connection in
            guard try await acceptCode(code, of: account, enabled: false, on: connection) != nil else { return false }
            try await connection.query("UPDATE cds.staff_totp SET enabled_at = now() WHERE principal_id = \(account)", logger: database.logger)
            return true
        }
    }

    /// Turns the second factor off when `code` is one of its codes now; false otherwise (nothing changes).
    public func disableTOTP(for account: UUID, code: String, actor: AuditActor) async throws -> Bool {
        try await withTransaction(actor: actor) { connection in
            guard try await acceptCode(code, of: account, enabled: true, on: connection) != nil else { return false }
            try await connection.query("DELETE FROM cds.staff_totp WHERE principal_id = \(account)", logger: database.logger)
            return true
        }
    }

    /// Removes `account`'s second factor, in force or being set up, for whoever may act as the account (its person
    /// lost the phone): the next sign-in needs the password alone. False when it had none.
    @discardableResult
    public func resetTOTP(for account: UUID, actor: AuditActor) async throws -> Bool {
        try await withTransaction(actor: actor) { connection in
            let rows = try await connection.query(
                "DELETE FROM cds.staff_totp WHERE principal_id = \(account) RETURNING 1",
                logger: database.logger
            )
            for try await _ in rows.decode(Int.self) { return true }
            return false
        }
    }

    /// The time step for which `code` is the code of `account`'s secret (confirmed or being set up, as `enabled`
    /// says), when it is one of now and was not accepted before; the row is locked until the transaction ends, so
    /// that two sign-ins cannot both use one code. Records the step as used.
    func acceptCode(_ code: String, of account: UUID, enabled: Bool, on connection: LeasedConnection) async throws -> Int64? {
        let rows = try await connection.query(
            """
            SELECT totp_secret, last_step FROM cds.staff_totp
            WHERE principal_id = \(account) AND (enabled_at IS NOT NULL) = \(enabled) FOR UPDATE
            """,
            logger: database.logger
        )
        var stored: (secret: String, lastStep: Int64)?
        for try await (secret, lastStep) in rows.decode((String, Int64).self) { stored = (secret, lastStep) }
        guard let stored, let step = StaffTOTP.step(accepting: code, secret: stored.secret, after: stored.lastStep) else { return nil }
        try await connection.query(
            "UPDATE cds.staff_totp SET last_step = \(step) WHERE principal_id = \(account)",
            logger: database.logger
        )
        return step
    }
}

/// The arithmetic of the console's one-time codes: six digits, a 30-second step, SHA-1, as every authenticator app
/// computes them by default (hummingbird-auth's ``TOTP``).
enum StaffTOTP {
    static let timeStep = 30

    /// 32 random letters and digits: the key's bytes (about 190 bits), as ``TOTP`` takes its secret.
    static func newSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet.randomElement(using: &generator)! })
    }

    static func enrolment(secret: String, account: String) -> ControlPlane.TOTPEnrolment {
        let link = TOTP(secret: secret).createAuthenticatorURL(label: account, issuer: "CDS Sơn La")
        let key = URLComponents(string: link)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
        return ControlPlane.TOTPEnrolment(key: key, link: link)
    }

    /// The step among the one before, this one and the one after (a phone's clock a little off) whose code is
    /// `code`, when it is later than `lastStep`.
    static func step(accepting code: String, secret: String, after lastStep: Int64, now: Date = Date()) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else { return nil }
        let current = Int64(now.timeIntervalSince1970) / Int64(timeStep)
        let totp = TOTP(secret: secret, timeStep: timeStep)
        return [current - 1, current, current + 1].first { step in
            step > lastStep && totp.compute(date: Date(timeIntervalSince1970: TimeInterval(step * Int64(timeStep)))) == value
        }
    }
}
