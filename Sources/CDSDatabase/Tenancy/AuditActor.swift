/// Who is acting in a transaction, as the audit log records it: `user:alice`, `sync:hr-system`,
/// `operator:cds-admin`; and the request it is serving, when there is one, so that the audit entries of one
/// request can be found together (and matched with the server's log lines): the server's id of the request, which
/// no client chooses, and the id the client sent, if any, kept apart.
public struct AuditActor: Hashable, Sendable, CustomStringConvertible {
    public let label: String
    public let requestID: String?
    public let clientRequestID: String?

    public init(kind: String, name: String, requestID: String? = nil) {
        self.init(label: "\(kind):\(name)", requestID: requestID, clientRequestID: nil)
    }

    private init(label: String, requestID: String?, clientRequestID: String?) {
        self.label = label
        self.requestID = requestID
        self.clientRequestID = clientRequestID
    }

    /// The same actor serving the request the server knows as `id`, which the client called `client` (if it did).
    public func serving(request id: String, client: String? = nil) -> Self {
        Self(label: label, requestID: id, clientRequestID: client)
    }

    /// An operator command of `cds-admin` (database-owner access).
    public static func `operator`(_ command: String) -> Self { Self(kind: "operator", name: command) }

    public var description: String { label }
}
