import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// The JSON shapes of staff accounts, grants and tokens. Absent values are `null`, not missing keys.
enum AccountViews {
    struct Grant: ResponseEncodable, Sendable {
        let id: UUID
        let userID: UUID
        let role: String
        let unitCode: String

        enum CodingKeys: String, CodingKey {
            case id, role
            case userID = "user_id"
            case unitCode = "unit_code"
        }
    }

    struct User: ResponseEncodable, Sendable {
        let id: UUID
        let name: String
        let displayName: String?
        let status: String
        let homeUnitCode: String
        let createdAt: String
        let grants: [Grant]

        enum CodingKeys: String, CodingKey {
            case id, name, status, grants
            case displayName = "display_name"
            case homeUnitCode = "home_unit_code"
            case createdAt = "created_at"
        }

        init(_ account: StaffAccount) {
            id = account.id
            name = account.name
            displayName = account.displayName
            status = account.status
            homeUnitCode = String(account.homeUnitCode)
            createdAt = account.createdAt.formatted(.iso8601)
            grants = account.grants.map { Grant(id: $0.id, userID: account.id, role: $0.role, unitCode: String($0.unitCode)) }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(displayName, forKey: .displayName)
            try container.encode(status, forKey: .status)
            try container.encode(homeUnitCode, forKey: .homeUnitCode)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(grants, forKey: .grants)
        }
    }

    struct Token: ResponseEncodable, Sendable {
        let id: UUID
        let userID: UUID
        let label: String?
        let createdAt: String
        let expiresAt: String?
        let revokedAt: String?
        /// Only in the answer that issues the token.
        let token: String?

        enum CodingKeys: String, CodingKey {
            case id, label, token
            case userID = "user_id"
            case createdAt = "created_at"
            case expiresAt = "expires_at"
            case revokedAt = "revoked_at"
        }

        init(_ record: TokenRecord, secret: String? = nil) {
            id = record.id
            userID = record.principalID
            label = record.label
            createdAt = record.createdAt.formatted(.iso8601)
            expiresAt = record.expiresAt?.formatted(.iso8601)
            revokedAt = record.revokedAt?.formatted(.iso8601)
            token = secret
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(userID, forKey: .userID)
            try container.encode(label, forKey: .label)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(expiresAt, forKey: .expiresAt)
            try container.encode(revokedAt, forKey: .revokedAt)
            if let token { try container.encode(token, forKey: .token) }
        }
    }
}
