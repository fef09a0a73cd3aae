import CDSCore
import CDSDatabase
import Foundation
import PostgresNIO

/// Files a partner's report at most once per idempotency key: the key's first request is filed and its answer
/// stored in the same transaction; a repeat gets that answer; a repeat while the first is in flight is told so
/// (a transaction-scoped advisory lock on the key marks it in flight); a repeat with another body is refused.
/// Keys are kept at least `retention`.
public struct IdempotentIntake: Sendable {
    let intake: ReportIntake
    let database: Database

    /// How long a key and its answer are kept (the draft asks for at least 24 hours).
    public static let retention: TimeInterval = 48 * 3600

    public init(intake: ReportIntake, database: Database) {
        self.intake = intake
        self.database = database
    }

    /// - Parameter answer: the HTTP status and body of the filed report's answer, stored with the key.
    /// - Throws: ``IdempotencyOutcome`` for a key seen before; what ``ReportIntake`` throws.
    public func file(
        _ submission: ReportSubmission,
        key: IdempotencyKey,
        partner: PartnerApp,
        actor: AuditActor,
        answer: (FiledReport) throws -> (status: Int, body: Data)
    ) async throws -> (status: Int, body: Data) {
        let district = try intake.district(for: submission.location, partner: partner)
        let now = Date()
        return try await database.withTenantScope(TenantScope([TenantID(district)]), actor: actor) { transaction in
            let (locked, reserved) = try await transaction.rows(try Self.reservation(key), as: (Bool, Bool).self)[0]
            guard locked else { throw IdempotencyOutcome.inFlight }
            if !reserved {
                // The key's first request finished since the caller's first look (checkStored): this statement's
                // snapshot is taken after the lock, so it sees that request's answer.
                let stored = try await transaction.rows(Self.storedAnswer(key), as: (Data, Int, Data).self)
                guard let stored = stored.first else { throw IdempotencyOutcome.inFlight }
                throw Self.outcome(of: Stored(stored), for: key)
            }
            let filed = try await intake.file(submission, district: district, partner: partner, actor: actor, now: now, in: transaction)
            let (status, body) = try answer(filed)
            try await transaction.query(
                """
                UPDATE cds.partner_idempotency_keys SET response_status = \(status), response_body = \(body)
                WHERE partner_id = \(key.partner) AND key = \(key.key)
                """
            )
            return (status, body)
        }
    }

    /// Takes the key's lock (held to the end of the transaction: a repeat meanwhile is in flight) and, with it,
    /// reserves the key: a row with no answer yet, visible to others only with the answer written into it.
    /// One statement, which also deletes the partner's expired keys — no sweeper to run — and takes over this key
    /// if it is held only by an expired answer. Its row: the lock taken; the key reserved (false: answered already).
    private static func reservation(_ key: IdempotencyKey) throws -> PostgresQuery {
        try """
        WITH lock AS (
            SELECT pg_try_advisory_xact_lock(hashtextextended(\(key.partner.uuidString) || '/' || \(key.key), 0)) AS taken
        ), expired AS (
            DELETE FROM cds.partner_idempotency_keys
            WHERE partner_id = \(key.partner) AND key <> \(key.key) AND created_at < now() - \(retention) * interval '1 second'
              AND (SELECT taken FROM lock)
        ), reserved AS (
            INSERT INTO cds.partner_idempotency_keys AS kept (partner_id, key, request_sha256, response_status, response_body)
            SELECT \(key.partner), \(key.key), \(key.fingerprint), 0, ''::bytea FROM lock WHERE taken
            ON CONFLICT (partner_id, key) DO UPDATE
                SET request_sha256 = excluded.request_sha256, response_status = 0, response_body = ''::bytea, created_at = now()
                WHERE kept.created_at < now() - \(retention) * interval '1 second'
            RETURNING true
        )
        SELECT (SELECT taken FROM lock), EXISTS (SELECT FROM reserved)
        """
    }

    /// Refuses or replays a key already answered, before any work: one statement, no transaction (the keys are
    /// the partner's, control-plane rows, not a district's).
    public static func checkStored(_ key: IdempotencyKey, in database: Database) async throws {
        let stored = try await database.client.withConnection { connection in
            try await connection.query(storedAnswer(key), logger: database.logger).decode((Data, Int, Data).self)
                .first { _ in true }
        }
        if let stored { throw Self.outcome(of: Stored(stored), for: key) }
    }

    private struct Stored {
        let fingerprint: Data
        let status: Int
        let body: Data

        init(_ row: (Data, Int, Data)) {
            (fingerprint, status, body) = row
        }
    }

    /// The answer stored under `key`, if it has not expired.
    private static func storedAnswer(_ key: IdempotencyKey) -> PostgresQuery {
        """
        SELECT request_sha256, response_status, response_body FROM cds.partner_idempotency_keys
        WHERE partner_id = \(key.partner) AND key = \(key.key) AND created_at >= now() - \(retention) * interval '1 second'
        """
    }

    private static func outcome(of stored: Stored, for key: IdempotencyKey) -> IdempotencyOutcome {
        stored.fingerprint == key.fingerprint ? .replay(status: stored.status, body: stored.body) : .reusedWithOtherBody
    }
}
