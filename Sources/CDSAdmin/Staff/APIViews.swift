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
    let homeUnitCode: String
    let createdAt: String
    let grants: [GrantView]

    enum CodingKeys: String, CodingKey {
        case id, name, status, grants
        case displayName = "display_name"
        case homeUnitCode = "home_unit_code"
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

extension AdminClient {
    /// Every item of a list, following `next_cursor` (pages of 500).
    func all<Item: Codable & Sendable>(_ path: String, query: [String: String?] = [:], as type: Item.Type) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            var parameters = query.compactMapValues { $0 }
            parameters["limit"] = "500"
            if let cursor { parameters["cursor"] = cursor }
            let page = try await get(path + Self.queryString(parameters), as: PageView<Item>.self)
            items += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return items
    }

    /// `?a=1&b=2`, percent-encoded, in a stable order.
    static func queryString(_ parameters: [String: String]) -> String {
        var components = URLComponents()
        components.queryItems = parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return components.percentEncodedQuery.map { "?" + $0.replacingOccurrences(of: "+", with: "%2B") } ?? ""
    }

    /// Changes an object with the ETag of a fresh read: the server refuses the change if someone else changed it since.
    func patch(_ path: String, json body: Data) async throws -> Answer {
        let current = try await send(.GET, path)
        return try await send(.PATCH, path, json: body, ifMatch: current.etag ?? "*")
    }
}
