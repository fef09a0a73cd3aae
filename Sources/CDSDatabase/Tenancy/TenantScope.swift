import CDSCore

/// The tenants (districts) that one transaction may touch.
///
/// It becomes the transaction-local setting `cds.tenant_ids`, which every tenant table's row-level
/// security policy reads. An empty scope reaches no rows.
public struct TenantScope: Hashable, Sendable, CustomStringConvertible {
    public let tenants: Set<TenantID>

    public init(_ tenants: some Sequence<TenantID>) {
        self.tenants = Set(tenants)
    }

    /// One district.
    public static func district(_ code: Int) -> Self { Self([TenantID(code)]) }

    /// The value of `cds.tenant_ids`: sorted, comma-separated.
    var settingValue: String {
        tenants.sorted().map(\.description).joined(separator: ",")
    }

    public var description: String { "[\(settingValue)]" }
}
