import CDSWire

/// An entry of either audit log, read by column name (``Wire/AuditEntry``).
typealias AuditEntry = Wire.AuditEntry

extension AuditEntry {
    /// The select list over a district's log aliased `a`; `seq`, the entry's number, orders the pages.
    static let districtColumns = """
        a.id AS seq, a.tenant_id || '-' || a.id AS id, a.tenant_id AS district_code, \(commonColumns),
        a.route, a.filters, a.subjects
        """
    /// The same over the control plane's log, which belongs to no district and holds no reads.
    static let controlColumns = """
        a.id AS seq, 'control-' || a.id AS id, NULL::int AS district_code, \(commonColumns),
        NULL::text AS route, NULL::jsonb AS filters, NULL::text[] AS subjects
        """

    private static let commonColumns = """
        to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at, a.actor, a.request_id,
        a.client_request_id, a.action, a.entity, a.entity_key, a.changed_fields, a.before, a.after
        """

    /// The entry's number in its log, the last part of its id: the cursor of the page after it.
    var number: String { String(id.split(separator: "-").last ?? "") }
}
