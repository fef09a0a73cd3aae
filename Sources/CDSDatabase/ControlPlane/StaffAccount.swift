import CDSCore
import Foundation

/// A staff account as the admin API shows it, with its grants and its tokens' metadata (never the secrets).
public struct StaffAccount: Hashable, Sendable {
    public struct GrantRecord: Hashable, Sendable {
        public let id: UUID
        public let role: String
        public let unitCode: Int

        /// The grant as access decisions read it.
        public var accessGrant: AccessPolicy.Grant { AccessPolicy.Grant(role: role, unitCode: unitCode) }
    }

    public let id: UUID
    public let name: String
    public let displayName: String?
    public let status: String
    /// The national unit the account was created in: those who manage it hold `users.manage` there.
    public let homeUnitCode: Int
    public let createdAt: Date
    public var grants: [GrantRecord]
}

/// A bearer token's metadata.
public struct TokenRecord: Hashable, Sendable {
    public let id: UUID
    public let principalID: UUID
    public let label: String?
    public let createdAt: Date
    public let expiresAt: Date?
    public let revokedAt: Date?
}
