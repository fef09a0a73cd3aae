import CDSCore
import Foundation

/// A staff account as the admin API shows it, with its grants and its tokens' metadata (never the secrets).
public struct StaffAccount: Hashable, Sendable {
    public struct GrantRecord: Hashable, Sendable {
        public let id: UUID
        public let role: String
        public let unitCode: Int
    }

    public let id: UUID
    public let name: String
    public let displayName: String?
    public let status: String
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
