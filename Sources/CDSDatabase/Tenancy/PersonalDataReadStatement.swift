import CDSCore
import PostgresNIO

/// Records `read_personal` entries in the audit log (``TenantTransaction/recordPersonalDataRead(entity:rows:)``): a
/// prepared statement, since every page of members that a district admin reads runs it.
///
/// The actor and the request id are read once per statement, not once per row (`OFFSET 0` keeps PostgreSQL from
/// pulling the subquery up into the row list): 100 rows in pgbench, 760–860 → 1,020–1,100 statements a second.
struct PersonalDataReadStatement: PostgresPreparedStatement {
    typealias Row = Void

    static let sql = """
        INSERT INTO cds.audit_log (tenant_id, actor, request_id, action, entity, entity_key)
        SELECT r.tenant_id, who.actor, who.request_id, 'read_personal', $1, r.entity_key
        FROM (SELECT cds.current_actor() AS actor, cds.current_request_id() AS request_id OFFSET 0) AS who,
             unnest($2::int[], $3::text[]) AS r (tenant_id, entity_key)
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
