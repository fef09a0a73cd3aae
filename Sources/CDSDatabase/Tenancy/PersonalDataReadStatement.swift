import CDSCore
import PostgresNIO

/// Records `read_personal` entries in the audit log (``TenantTransaction/recordPersonalDataRead(entity:rows:)``): a
/// prepared statement, since every page of members that a district admin reads runs it.
struct PersonalDataReadStatement: PostgresPreparedStatement {
    typealias Row = Void

    static let sql = """
        INSERT INTO cds.audit_log (tenant_id, actor, request_id, action, entity, entity_key)
        SELECT tenant_id, cds.current_actor(), cds.current_request_id(), 'read_personal', $1, entity_key
        FROM unnest($2::int[], $3::text[]) AS r (tenant_id, entity_key)
        """

    static let bindingDataTypes: [PostgresDataType] = [.text, .int4Array, .textArray]

    let entity: String
    let rows: [(tenant: TenantID, key: String)]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(entity)
        bindings.append(rows.map { Int32($0.tenant.rawValue) })
        bindings.append(rows.map(\.key))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
