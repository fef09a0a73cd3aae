import CDSCore
import Foundation
import PostgresNIO

/// Records a ``PersonalDataRead`` in the audit log (``TenantTransaction/recordPersonalDataRead(_:)``): one
/// `read_personal` entry per district of the rows returned, listing their keys in `subjects`. A prepared statement,
/// since every page of members that a district admin reads runs it.
///
/// The actor and the request id are read once per statement (`OFFSET 0` keeps PostgreSQL from pulling the subquery
/// up into the rows). `RETURNING` keeps Citus from sending the rows to the shards as `COPY`, which PostgreSQL refuses
/// on a table with row-level security.
struct PersonalDataReadStatement: PostgresPreparedStatement {
    typealias Row = Void

    static let sql = """
        INSERT INTO cds.audit_log (tenant_id, actor, request_id, action, entity, entity_key, route, filters, subjects)
        SELECT r.tenant_id, who.actor, who.request_id, 'read_personal', $1,
               CASE WHEN count(*) = 1 THEN min(r.entity_key) END, $2, $3::jsonb, array_agg(r.entity_key)
        FROM (SELECT cds.current_actor() AS actor, cds.current_request_id() AS request_id OFFSET 0) AS who,
             unnest($4::int[], $5::text[]) AS r (tenant_id, entity_key)
        GROUP BY r.tenant_id, who.actor, who.request_id
        RETURNING tenant_id
        """

    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .int4Array, .textArray]

    let read: PersonalDataRead

    func makeBindings() throws -> PostgresBindings {
        let filters = read.filters.isEmpty ? nil : String(decoding: try Self.encoder.encode(read.filters), as: UTF8.self)
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(read.entity)
        bindings.append(read.route)
        bindings.append(filters)
        bindings.append(read.subjects.map { Int32($0.tenant.rawValue) })
        bindings.append(read.subjects.map(\.key))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()
}
