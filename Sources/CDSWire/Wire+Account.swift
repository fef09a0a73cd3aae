import Foundation

extension Wire {
    /// A role held on a unit and its subtree (`/v1/grants`, and in each ``User``).
    public struct Grant: Codable, Sendable {
        public let id: UUID
        public let userID: UUID
        public let role: String
        public let unitCode: String

        public init(id: UUID, userID: UUID, role: String, unitCode: String) {
            self.id = id
            self.userID = userID
            self.role = role
            self.unitCode = unitCode
        }
    }

    /// A staff account with its grants (`/v1/users`).
    public struct User: Codable, Sendable {
        public let id: UUID
        public let name: String
        public let displayName: String?
        /// `active` or `disabled`.
        public let status: String
        /// The unit the account was created in: those who manage it hold `users.manage` there.
        public let homeUnitCode: String
        public let createdAt: String
        public let grants: [Grant]

        public init(
            id: UUID,
            name: String,
            displayName: String?,
            status: String,
            homeUnitCode: String,
            createdAt: String,
            grants: [Grant]
        ) {
            self.id = id
            self.name = name
            self.displayName = displayName
            self.status = status
            self.homeUnitCode = homeUnitCode
            self.createdAt = createdAt
            self.grants = grants
        }
    }

    /// A bearer token's metadata (`/v1/tokens`), never its secret but in the answer that issues it.
    public struct Token: Codable, Sendable {
        public let id: UUID
        public let userID: UUID
        public let label: String?
        public let createdAt: String
        public let expiresAt: String?
        public let revokedAt: String?
        /// Only in the answer that issues the token: the secret, shown once.
        @OmittedWhenAbsent public private(set) var token: String?

        public init(
            id: UUID,
            userID: UUID,
            label: String?,
            createdAt: String,
            expiresAt: String?,
            revokedAt: String?,
            token: String?
        ) {
            self.id = id
            self.userID = userID
            self.label = label
            self.createdAt = createdAt
            self.expiresAt = expiresAt
            self.revokedAt = revokedAt
            self.token = token
        }
    }
}
