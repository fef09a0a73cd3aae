import CDSCore
import PostgresNIO

extension TenantTransaction {
    /// Records in the audit log that the transaction's actor read personal data (phone, birth year,
    /// ethnicity) of these rows: one `read_personal` entry per row. Writes are recorded by triggers; reads
    /// cannot be, so every surface that returns personal data calls this in the same transaction.
    public func recordPersonalDataRead(entity: String, rows: [(tenant: TenantID, key: String)]) async throws {
        guard !rows.isEmpty else { return }
        try await execute(PersonalDataReadStatement(entity: entity, rows: rows))
    }
}
