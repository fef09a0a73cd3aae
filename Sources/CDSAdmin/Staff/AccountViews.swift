import Foundation

/// Staff accounts, grants and tokens as the admin API answers them (`/v1/users`, `/v1/grants`, `/v1/tokens`).
struct GrantView: Codable, Sendable {
    let id: String
    let userID: String
    let role: String
    let unitCode: String

    enum CodingKeys: String, CodingKey {
        case id, role
        case userID = "user_id"
        case unitCode = "unit_code"
    }
}

struct UserView: Codable, Sendable {
    let id: String
    let name: String
    let displayName: String?
    let status: String
    let createdAt: String
    let grants: [GrantView]

    enum CodingKeys: String, CodingKey {
        case id, name, status, grants
        case displayName = "display_name"
        case createdAt = "created_at"
    }
}

struct TokenView: Codable, Sendable {
    let id: String
    let userID: String?
    let label: String?
    let createdAt: String
    let expiresAt: String?
    let revokedAt: String?
    let token: String?

    enum CodingKeys: String, CodingKey {
        case id, label, token
        case userID = "user_id"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
    }
}

/// `{"items": [...], "next_cursor": ...}`.
struct PageView<Item: Codable & Sendable>: Codable, Sendable {
    let items: [Item]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }
}

extension AdminClient {
    /// The account named `name`, among those the caller sees.
    func user(named name: String) async throws -> UserView {
        let users = try await get("/v1/users", as: PageView<UserView>.self).items
        guard let user = users.first(where: { $0.name == name }) else {
            throw AdminError.notFound("no user '\(name)' that you can see: `cds-admin users list` shows them")
        }
        return user
    }

    /// A JSON body.
    static func body(_ fields: [String: (any Encodable & Sendable)?]) throws -> Data {
        var object: [String: Any] = [:]
        for (key, value) in fields {
            guard let value else { continue }
            object[key] = value
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
