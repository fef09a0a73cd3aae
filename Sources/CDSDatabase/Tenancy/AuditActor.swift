/// Who is acting in a transaction, as the audit log records it: `user:alice`, `sync:hr-system`,
/// `operator:cds-admin`; and the request it is serving, when there is one, so that the audit entries of one
/// request can be found together (and matched with the server's log lines).
public struct AuditActor: Hashable, Sendable, CustomStringConvertible {
    public let label: String
    public let requestID: String?

    public init(kind: String, name: String, requestID: String? = nil) {
        self.init(label: "\(kind):\(name)", requestID: requestID)
    }

    private init(label: String, requestID: String?) {
        self.label = label
        self.requestID = requestID
    }

    /// The same actor serving the request `id`.
    public func serving(request id: String) -> Self { Self(label: label, requestID: id) }

    /// An operator command of `cds-admin` (database-owner access).
    public static func `operator`(_ command: String) -> Self { Self(kind: "operator", name: command) }

    public var description: String { label }
}
