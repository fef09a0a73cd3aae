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
        try await Self.checkStored(key, in: database, actor: actor)
        let district = try await intake.district(for: submission.location, partner: partner)
        let now = Date()
        return try await database.withTenantScope(TenantScope([TenantID(district)]), actor: actor) { transaction in
            let locked = try await transaction.rows(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(\(key.partner.uuidString) || '/' || \(key.key), 0))",
                as: Bool.self
            )[0]
            guard locked else { throw IdempotencyOutcome.inFlight }
            // The first request may have finished since the first look.
            if let stored = try await Self.stored(key, in: transaction) { throw Self.outcome(of: stored, for: key) }
            let filed = try await intake.file(submission, district: district, partner: partner, actor: actor, now: now, in: transaction)
            let (status, body) = try answer(filed)
            try await transaction.query(
                """
                INSERT INTO cds.partner_idempotency_keys (partner_id, key, request_sha256, response_status, response_body)
                VALUES (\(key.partner), \(key.key), \(key.fingerprint), \(status), \(body))
                """
            )
            try await transaction.query(
                "DELETE FROM cds.partner_idempotency_keys WHERE partner_id = \(key.partner) AND created_at < now() - \(Self.retention) * interval '1 second'"
            )
            return (status, body)
        }
    }

    /// Refuses or replays a key already answered, before any work.
    /// (The keys are the partner's, not a district's: read in a transaction with no district in scope.)
    public static func checkStored(_ key: IdempotencyKey, in database: Database, actor: AuditActor) async throws {
        let stored = try await database.withTenantScope(TenantScope([]), actor: actor) { transaction in
            try await Self.stored(key, in: transaction)
        }
        if let stored { throw Self.outcome(of: stored, for: key) }
    }

    private struct Stored {
        let fingerprint: Data
        let status: Int
        let body: Data
    }

    private static func stored(_ key: IdempotencyKey, in transaction: borrowing TenantTransaction) async throws -> Stored? {
        try await transaction.rows(
            """
            SELECT request_sha256, response_status, response_body FROM cds.partner_idempotency_keys
            WHERE partner_id = \(key.partner) AND key = \(key.key) AND created_at >= now() - \(retention) * interval '1 second'
            """,
            as: (Data, Int, Data).self
        ).first.map { Stored(fingerprint: $0.0, status: $0.1, body: $0.2) }
    }

    private static func outcome(of stored: Stored, for key: IdempotencyKey) -> IdempotencyOutcome {
        stored.fingerprint == key.fingerprint ? .replay(status: stored.status, body: stored.body) : .reusedWithOtherBody
    }
}
