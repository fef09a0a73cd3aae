import Foundation

/// Ids are written in lowercase in every answer, as PostgreSQL writes them and as cursors and `Location`
/// headers carry them (Foundation would write uppercase). These overloads win over the generic `encode` in
/// every encoder of the modules that import this one (the admin API, the feedback module), synthesised ones included.
extension KeyedEncodingContainer {
    package mutating func encode(_ id: UUID, forKey key: Key) throws {
        try encode(id.uuidString.lowercased(), forKey: key)
    }

    package mutating func encode(_ id: UUID?, forKey key: Key) throws {
        try encode(id?.uuidString.lowercased(), forKey: key)
    }

    package mutating func encodeIfPresent(_ id: UUID?, forKey key: Key) throws {
        try encodeIfPresent(id?.uuidString.lowercased(), forKey: key)
    }
}
