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
        let answered = try await database.withTenantScope(TenantScope([TenantID(district)]), actor: actor) { transaction in
            let (locked, reserved) = try await transaction.execute(KeyReservationStatement(key: key, retention: Self.retention))[0]
            guard locked else { throw IdempotencyOutcome.inFlight }
            if !reserved {
                // The key's first request finished since the caller's first look (checkStored): this statement's
                // snapshot is taken after the lock, so it sees that request's answer.
                let stored = try await transaction.execute(StoredAnswerStatement(key: key, retention: Self.retention))
                guard let stored = stored.first else { throw IdempotencyOutcome.inFlight }
                throw Self.outcome(of: stored, for: key)
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
        FeedbackMetrics.filed(.partnerAPI)
        return answered
    }

    /// Refuses or replays a key already answered, before any work: one statement, no transaction (the keys are
    /// the partner's, control-plane rows, not a district's).
    public static func checkStored(_ key: IdempotencyKey, in database: Database) async throws {
        if let stored = try await database.rows(of: StoredAnswerStatement(key: key, retention: retention)).first {
            throw Self.outcome(of: stored, for: key)
        }
    }

    private static func outcome(of stored: StoredAnswer, for key: IdempotencyKey) -> IdempotencyOutcome {
        stored.fingerprint == key.fingerprint ? .replay(status: stored.status, body: stored.body) : .reusedWithOtherBody
    }
}
