import CDSCore
import PostgresNIO

extension TenantTransaction {
    /// Records in the audit log that the transaction's actor read the personal data of `read`'s rows: one
    /// `read_personal` entry per district, naming the request and listing the rows. Writes are recorded by triggers;
    /// reads cannot be, so every surface that returns personal data calls this in the same transaction.
    public func recordPersonalDataRead(_ read: PersonalDataRead) async throws {
        guard !read.subjects.isEmpty else { return }
        try await execute(PersonalDataReadStatement(read: read))
    }
}
