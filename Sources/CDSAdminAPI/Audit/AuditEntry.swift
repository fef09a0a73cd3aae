import CDSDatabase
import CDSHTTP
import Hummingbird
import PostgresNIO

/// An entry of either audit log, as the admin API reads it and answers it. Its select list: `a.id`, the district
/// (`a.tenant_id`, or `NULL::int` for the control log, which belongs to no district), then ``entryColumns``.
struct AuditEntry: RowDecodable {
    /// The select list after the id and the district, over either log aliased `a`, in the order ``init(cells:)`` reads it.
    static let entryColumns = """
        to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), a.actor, a.request_id,
        a.client_request_id, a.action, a.entity, a.entity_key, a.changed_fields, a.before, a.after
        """

    /// The entry's number in its log.
    let id: Int64
    /// `nil` for the control log.
    let districtCode: Int?
    let occurredAt: String
    let actor: String
    let requestID: String?
    let clientRequestID: String?
    let action: String
    let entity: String
    let entityKey: String
    let changedFields: [String]?
    let before: JSONValue?
    let after: JSONValue?

    /// Cell by cell (`PostgresRow.Iterator.decode(_:)` says why).
    init(cells: inout PostgresRow.Iterator) throws {
        id = try cells.decode(Int64.self)
        districtCode = try cells.decode(Int?.self)
        occurredAt = try cells.decode(String.self)
        actor = try cells.decode(String.self)
        requestID = try cells.decode(String?.self)
        clientRequestID = try cells.decode(String?.self)
        action = try cells.decode(String.self)
        entity = try cells.decode(String.self)
        entityKey = try cells.decode(String.self)
        changedFields = try cells.decode([String]?.self)
        before = try cells.decode(JSONValue?.self)
        after = try cells.decode(JSONValue?.self)
    }
}

extension AuditEntry: ResponseEncodable {
    private enum CodingKeys: String, CodingKey {
        case id, districtCode, occurredAt, actor, requestID, clientRequestID, action, entity, entityKey, changedFields, before, after
    }

    /// Its id names its log (`116-8812`, `control-42`); absent values are `null`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(districtCode.map { "\($0)-\(id)" } ?? "control-\(id)", forKey: .id)
        try container.encode(districtCode, forKey: .districtCode)
        try container.encode(occurredAt, forKey: .occurredAt)
        try container.encode(actor, forKey: .actor)
        try container.encode(requestID, forKey: .requestID)
        try container.encode(clientRequestID, forKey: .clientRequestID)
        try container.encode(action, forKey: .action)
        try container.encode(entity, forKey: .entity)
        try container.encode(entityKey, forKey: .entityKey)
        try container.encode(changedFields, forKey: .changedFields)
        try container.encode(before, forKey: .before)
        try container.encode(after, forKey: .after)
    }
}
