extension Wire {
    /// An entry of either audit log (`/v1/audit`).
    public struct AuditEntry: Codable, Sendable {
        /// `<district>-<n>` for a district's log, `control-<n>` for the control plane's.
        public let id: String
        /// `null` for the control plane's log, which belongs to no district.
        public let districtCode: Int?
        /// RFC 3339, in UTC.
        public let occurredAt: String
        public let actor: String
        public let requestID: String?
        public let clientRequestID: String?
        /// `insert`, `update`, `delete` or `read_personal`.
        public let action: String
        public let entity: String
        /// `null` for a read of several rows' personal data, which lists them in ``subjects``.
        public let entityKey: String?
        public let changedFields: [String]?
        public let before: JSONValue?
        public let after: JSONValue?
        /// For a read of personal data: the request's route and filters, and the keys of the rows it returned.
        public let route: String?
        public let filters: [String: String]?
        public let subjects: [String]?
    }
}
