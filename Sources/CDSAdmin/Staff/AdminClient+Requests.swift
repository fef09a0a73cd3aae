import CDSWire
import Foundation

extension AdminClient {
    /// The account named `name`, among those the caller sees.
    func user(named name: String) async throws -> Wire.User {
        let users = try await get("/v1/users", as: Wire.Page<Wire.User>.self).items
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
        try await first(Int.max, of: path, query: query, as: type)
    }

    /// The first `count` items of a list (all, when it has fewer), following `next_cursor` in pages of up to 500.
    func first<Item: Codable & Sendable>(
        _ count: Int,
        of path: String,
        query: [String: String?] = [:],
        as type: Item.Type
    ) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            var parameters = query.compactMapValues { $0 }
            parameters["limit"] = String(min(500, count - items.count))
            if let cursor { parameters["cursor"] = cursor }
            let page = try await get(path + Self.queryString(parameters), as: Wire.Page<Item>.self)
            items += page.items
            cursor = page.nextCursor
        } while cursor != nil && items.count < count
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
