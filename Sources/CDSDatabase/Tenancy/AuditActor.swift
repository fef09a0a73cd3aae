/// Who is acting in a transaction, as the audit log records it: `user:alice`, `sync:hr-system`,
/// `operator:cds-admin`.
public struct AuditActor: Hashable, Sendable, CustomStringConvertible {
    public let label: String

    public init(kind: String, name: String) {
        self.label = "\(kind):\(name)"
    }

    /// An operator command of `cds-admin` (database-owner access).
    public static func `operator`(_ command: String) -> Self { Self(kind: "operator", name: command) }

    public var description: String { label }
}
